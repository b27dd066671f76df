import { Type } from "@sinclair/typebox";
import { defineOperation, type Operation } from "../integration.js";
import type { GitHubClient } from "./client.js";
import {
  branchParameter,
  hasNextPage,
  ownerOf,
  ownerParameter,
  pageParameter,
  perPageParameter,
  repoParameter,
} from "./parameters.js";
import { compactPullRequest } from "./results.js";

const pullNumber = () =>
  Type.Integer({ minimum: 1, description: "The pull request's number in the repository." });

const create = defineOperation({
  description: "Opens a pull request from head into base.",
  parameters: Type.Object(
    {
      owner: ownerParameter(),
      repo: repoParameter(),
      title: Type.String({ minLength: 1, maxLength: 256, description: "The title." }),
      head: Type.String({
        minLength: 1,
        maxLength: 255,
        description: "The branch with the changes; from a fork: fork-owner:branch.",
      }),
      base: Type.Optional(
        branchParameter("The branch to merge into; default the repository's default branch."),
      ),
      body: Type.Optional(
        Type.String({ maxLength: 65536, description: "The description (Markdown)." }),
      ),
      draft: Type.Boolean({ default: false, description: "Open it as a draft." }),
      maintainer_can_modify: Type.Optional(
        Type.Boolean({ description: "Let maintainers push to the head branch (forks)." }),
      ),
    },
    { additionalProperties: false },
  ),
  sideEffect: true,
  run: async (client: GitHubClient, p, { signal }) => {
    const owner = ownerOf(client, p.owner);
    const { octokit } = client;
    const base =
      p.base ??
      (await octokit.rest.repos.get({ owner, repo: p.repo, request: { signal } })).data
        .default_branch;
    const { data } = await octokit.rest.pulls.create({
      owner,
      repo: p.repo,
      title: p.title,
      head: p.head,
      base,
      draft: p.draft,
      ...(p.body === undefined ? {} : { body: p.body }),
      ...(p.maintainer_can_modify === undefined
        ? {}
        : { maintainer_can_modify: p.maintainer_can_modify }),
      request: { signal },
    });
    return compactPullRequest(data);
  },
});

const SORT_KEYS = ["created", "updated", "popularity", "long-running"] as const;

const list = defineOperation({
  description: "Lists a repository's pull requests, filtered by state, head and base branch.",
  parameters: Type.Object(
    {
      owner: ownerParameter(),
      repo: repoParameter(),
      state: Type.Union([Type.Literal("open"), Type.Literal("closed"), Type.Literal("all")], {
        default: "open",
        description: "open, closed or all.",
      }),
      head: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: 255,
          description:
            "Only pull requests from this head: user:branch, or a branch (then of the repository's owner).",
        }),
      ),
      base: Type.Optional(branchParameter("Only pull requests into this branch.")),
      sort: Type.Optional(
        Type.Union(
          SORT_KEYS.map((s) => Type.Literal(s)),
          { description: "Sort key (default created)." },
        ),
      ),
      direction: Type.Optional(
        Type.Union([Type.Literal("asc"), Type.Literal("desc")], { description: "Sort order." }),
      ),
      per_page: perPageParameter(),
      page: pageParameter(),
    },
    { additionalProperties: false },
  ),
  sideEffect: false,
  run: async (client: GitHubClient, p, { signal }) => {
    const owner = ownerOf(client, p.owner);
    // GitHub filters on head only in the user:branch form; a bare branch would be ignored.
    const head = p.head === undefined || p.head.includes(":") ? p.head : `${owner}:${p.head}`;
    const { data, headers } = await client.octokit.rest.pulls.list({
      owner,
      repo: p.repo,
      state: p.state,
      per_page: p.per_page,
      page: p.page,
      ...(head === undefined ? {} : { head }),
      ...(p.base === undefined ? {} : { base: p.base }),
      ...(p.sort === undefined ? {} : { sort: p.sort }),
      ...(p.direction === undefined ? {} : { direction: p.direction }),
      request: { signal },
    });
    return {
      pull_requests: data.map(compactPullRequest),
      page: p.page,
      per_page: p.per_page,
      has_next_page: hasNextPage(headers.link),
    };
  },
});

const get = defineOperation({
  description: "Reads one pull request, with whether it can be merged.",
  parameters: Type.Object(
    { owner: ownerParameter(), repo: repoParameter(), pull_number: pullNumber() },
    { additionalProperties: false },
  ),
  sideEffect: false,
  run: async (client: GitHubClient, p, { signal }) => {
    const { data } = await client.octokit.rest.pulls.get({
      owner: ownerOf(client, p.owner),
      repo: p.repo,
      pull_number: p.pull_number,
      request: { signal },
    });
    return compactPullRequest(data);
  },
});

const merge = defineOperation({
  description:
    "Merges a pull request. Fails with a conflict when it is not mergeable or its head moved past sha.",
  parameters: Type.Object(
    {
      owner: ownerParameter(),
      repo: repoParameter(),
      pull_number: pullNumber(),
      merge_method: Type.Union(
        [Type.Literal("merge"), Type.Literal("squash"), Type.Literal("rebase")],
        { default: "merge", description: "merge, squash or rebase." },
      ),
      commit_title: Type.Optional(
        Type.String({ minLength: 1, maxLength: 256, description: "Title of the merge commit." }),
      ),
      commit_message: Type.Optional(
        Type.String({ maxLength: 65536, description: "Extra detail for the merge commit." }),
      ),
      sha: Type.Optional(
        Type.String({
          pattern: "^[0-9a-f]{40}$",
          description: "Merge only if the head is still this commit.",
        }),
      ),
    },
    { additionalProperties: false },
  ),
  sideEffect: true,
  run: async (client: GitHubClient, p, { signal }) => {
    const { data } = await client.octokit.rest.pulls.merge({
      owner: ownerOf(client, p.owner),
      repo: p.repo,
      pull_number: p.pull_number,
      merge_method: p.merge_method,
      ...(p.commit_title === undefined ? {} : { commit_title: p.commit_title }),
      ...(p.commit_message === undefined ? {} : { commit_message: p.commit_message }),
      ...(p.sha === undefined ? {} : { sha: p.sha }),
      request: { signal },
    });
    return {
      pull_number: p.pull_number,
      merged: data.merged,
      sha: data.sha,
      message: data.message,
    };
  },
});

export const pullRequestOperations: Record<string, Operation<GitHubClient>> = {
  create_pull_request: create,
  list_pull_requests: list,
  get_pull_request: get,
  merge_pull_request: merge,
};
