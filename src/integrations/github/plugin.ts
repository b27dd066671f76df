import { definePlugin } from "../integration.js";
import { branchOperations } from "./branch-operations.js";
import { createGitHubClient, DEFAULT_GITHUB_API_URL, type GitHubClient } from "./client.js";
import { INTEGRATION, mapGitHubError } from "./errors.js";
import { issueOperations } from "./issue-operations.js";
import { pullRequestOperations } from "./pull-request-operations.js";
import { repositoryOperations } from "./repository-operations.js";

/** GitHub and GitHub Enterprise Server through the REST API v3, with Octokit. */
export const githubPlugin = definePlugin<GitHubClient>({
  name: INTEGRATION,
  description:
    "GitHub (or GitHub Enterprise Server): repositories, branches, pull requests, issues and comments.",
  settings: {
    token: {
      env: "GITHUB_TOKEN",
      description:
        "A personal access token (classic or fine-grained) or an app installation token.",
      required: true,
      secret: true,
    },
    apiUrl: {
      env: "GITHUB_API_URL",
      description: `REST API base URL; a GitHub Enterprise Server's is https://HOST/api/v3.`,
      default: DEFAULT_GITHUB_API_URL,
    },
    owner: {
      env: "GITHUB_OWNER",
      description: "Default owner (user or organisation) for operations whose owner is omitted.",
    },
  },
  connect: (settings, context) => createGitHubClient(settings, context.logger),
  check: async (client, { signal }) => {
    const { data, headers } = await client.octokit.rest.users.getAuthenticated({
      request: { signal },
    });
    const remaining = Number(headers["x-ratelimit-remaining"]);
    const scopes = headers["x-oauth-scopes"];
    return {
      login: data.login,
      rate_limit_remaining: Number.isFinite(remaining) ? remaining : null,
      scopes:
        typeof scopes === "string"
          ? scopes
              .split(",")
              .map((s) => s.trim())
              .filter((s) => s !== "")
          : null,
    };
  },
  operations: {
    ...repositoryOperations,
    ...branchOperations,
    ...pullRequestOperations,
    ...issueOperations,
  },
  mapError: mapGitHubError,
});
