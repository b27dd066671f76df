import { Octokit } from "@octokit/rest";
import type { Logger } from "../../observability/index.js";
import type { Settings } from "../integration.js";

/** The REST API version every request asks for, so answers keep the shapes this plugin reads. */
export const GITHUB_API_VERSION = "2022-11-28";

export const DEFAULT_GITHUB_API_URL = "https://api.github.com";

/** What the GitHub operations work with. */
export interface GitHubClient {
  readonly octokit: Octokit;
  /** GITHUB_OWNER: the owner an operation uses when its `owner` is omitted. */
  readonly defaultOwner: string | undefined;
}

/**
 * Octokit pointed at GitHub or a GitHub Enterprise Server (`https://host/api/v3`). Octokit
 * has no retry or throttling plugin here: the integration runtime retries, honouring the
 * waits GitHub asks for. Its request log goes to the service's logger at debug level.
 */
export function createGitHubClient(settings: Settings, logger: Logger): GitHubClient {
  const baseUrl = (settings.apiUrl ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, "");
  const octokit = new Octokit({
    baseUrl,
    auth: settings.token,
    userAgent: "mcp-distributed-integrations",
    log: {
      debug: () => undefined,
      info: (message: string) => logger.debug({ github: message }, "github request"),
      warn: (message: string) => logger.warn({ github: message }, "github warning"),
      error: (message: string) => logger.debug({ github: message }, "github request failed"),
    },
  });
  octokit.hook.before("request", (options) => {
    options.headers["x-github-api-version"] = GITHUB_API_VERSION;
  });
  return { octokit, defaultOwner: settings.owner };
}
