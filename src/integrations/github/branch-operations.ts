import { Type } from "@sinclair/typebox";
import { defineOperation, type Operation } from "../integration.js";
import { remoteError } from "../framework/remote-errors.js";
import type { GitHubClient } from "./client.js";
import { INTEGRATION } from "./errors.js";
import { branchParameter, ownerOf, ownerParameter, repoParameter } from "./parameters.js";

function isNotFound(error: unknown): boolean {
  return (error as { status?: unknown } | null)?.status === 404;
}

const createBranch = defineOperation({
  description:
    "Creates a branch pointing at the head of another branch (default: the repository's default branch).",
  parameters: Type.Object(
    {
      owner: ownerParameter(),
      repo: repoParameter(),
      branch: branchParameter("The new branch's name, e.g. feature/login (without refs/heads/)."),
      from: Type.Optional(
        branchParameter("The branch to start from; default the repository's default branch."),
      ),
    },
    { additionalProperties: false },
  ),
  sideEffect: true,
  run: async (client: GitHubClient, p, { signal }) => {
    const owner = ownerOf(client, p.owner);
    const { octokit } = client;
    const from =
      p.from ??
      (await octokit.rest.repos.get({ owner, repo: p.repo, request: { signal } })).data
        .default_branch;
    let sha: string;
    try {
      const { data } = await octokit.rest.git.getRef({
        owner,
        repo: p.repo,
        ref: `heads/${from}`,
        request: { signal },
      });
      sha = data.object.sha;
    } catch (error) {
      if (!isNotFound(error)) throw error;
      throw remoteError(
        INTEGRATION,
        "not_found",
        `branch ${JSON.stringify(from)} not found in ${owner}/${p.repo} (or the repository is not visible to the token)`,
        { remoteStatus: 404 },
      );
    }
    const { data } = await octokit.rest.git.createRef({
      owner,
      repo: p.repo,
      ref: `refs/heads/${p.branch}`,
      sha,
      request: { signal },
    });
    return { branch: p.branch, ref: data.ref, sha: data.object.sha, from };
  },
});

export const branchOperations: Record<string, Operation<GitHubClient>> = {
  create_branch: createBranch,
};
