import type { AppError } from "../../domain/index.js";
import { parseRetryAfter, remoteError, type RemoteFailure } from "../framework/remote-errors.js";

export const INTEGRATION = "github";

/** The parts of Octokit's RequestError this plugin reads (it is matched by shape, not class). */
interface GitHubRequestError {
  status: number;
  message: string;
  response?: { headers: Record<string, string | number | undefined>; data: unknown };
}

/** One entry of a 422 answer's `errors` array, as GitHub documents it. */
interface ValidationEntry {
  resource?: string;
  field?: string;
  code?: string;
  message?: string;
}

/** GitHub's advice when a secondary rate limit gives no header: wait at least a minute. */
const SECONDARY_LIMIT_WAIT_MS = 60_000;

function isRequestError(error: unknown): error is GitHubRequestError {
  return (
    error instanceof Error &&
    error.name === "HttpError" &&
    typeof (error as { status?: unknown }).status === "number"
  );
}

function header(error: GitHubRequestError, name: string): string | undefined {
  const value = error.response?.headers[name];
  return value === undefined ? undefined : String(value);
}

function bodyOf(error: GitHubRequestError): { message?: string; errors: ValidationEntry[] } {
  const data = error.response?.data;
  if (typeof data === "string") return { message: data, errors: [] };
  if (typeof data !== "object" || data === null) return { errors: [] };
  const { message, errors } = data as { message?: unknown; errors?: unknown };
  return {
    ...(typeof message === "string" ? { message } : {}),
    errors: Array.isArray(errors)
      ? errors.filter((e): e is ValidationEntry => typeof e === "object" && e !== null)
      : [],
  };
}

/** GitHub's message followed by what each validation error says (its message, else field and code). */
function describe(body: { message?: string; errors: ValidationEntry[] }): string {
  const details = body.errors.map(
    (e) =>
      e.message ?? [e.resource, e.field, e.code].filter((part) => part !== undefined).join(" "),
  );
  const said = [body.message, ...details].filter((s) => s !== undefined && s.trim() !== "");
  return said.join(": ").slice(0, 600);
}

/**
 * How long GitHub asks to wait, as its rate-limit documentation says to read it: `retry-after`
 * seconds first, else until `x-ratelimit-reset` (epoch seconds) when `x-ratelimit-remaining` is
 * 0; undefined when the answer is not a rate limit.
 */
function rateLimitWait(error: GitHubRequestError, message: string | undefined): number | undefined {
  const retryAfter = parseRetryAfter(header(error, "retry-after"));
  if (retryAfter !== undefined) return retryAfter;
  if (header(error, "x-ratelimit-remaining") === "0") {
    const reset = Number(header(error, "x-ratelimit-reset"));
    return Number.isFinite(reset)
      ? Math.max(0, reset * 1000 - Date.now())
      : SECONDARY_LIMIT_WAIT_MS;
  }
  // A secondary limit without either header is only told by its message (GitHub: "wait at
  // least one minute"); a 429 is a rate limit whatever it says.
  if (error.status === 429 || /rate limit/i.test(message ?? "")) return SECONDARY_LIMIT_WAIT_MS;
  return undefined;
}

/**
 * An "already exists" refusal: GitHub sends these as 422 with code `already_exists`, or as a
 * `custom` error (or a bare message, for git refs) whose text is the only signal.
 */
function alreadyExists(body: { message?: string; errors: ValidationEntry[] }): boolean {
  return (
    body.errors.some(
      (e) => e.code === "already_exists" || /already exists/i.test(e.message ?? ""),
    ) || /already exists/i.test(body.message ?? "")
  );
}

function failureOf(
  error: GitHubRequestError,
  body: { message?: string; errors: ValidationEntry[] },
): RemoteFailure {
  const { status } = error;
  if (status === 401) return "bad_credentials";
  if (status === 403) return "permission_denied";
  if (status === 404 || status === 410) return "not_found";
  // 405: "Pull Request is not mergeable"; 409: the head moved, or a git conflict.
  if (status === 405 || status === 409) return "conflict";
  if (status === 422) return alreadyExists(body) ? "conflict" : "invalid_request";
  if (status >= 500) return "unavailable";
  if (status >= 400) return "invalid_request";
  return "remote_error";
}

const PHRASES: Readonly<Record<RemoteFailure, string>> = {
  bad_credentials: "the token was rejected",
  permission_denied: "the token lacks permission",
  not_found: "not found",
  rate_limited: "rate limited",
  timeout: "GitHub timed out",
  unavailable: "GitHub is unavailable",
  invalid_request: "the request was refused",
  conflict: "conflict",
  remote_error: "unexpected answer",
};

const HINTS: Partial<Record<RemoteFailure, string>> = {
  not_found:
    " (GitHub also answers 404 for a private repository or organisation the token cannot see)",
};

/**
 * Octokit's RequestError as an AppError: 401 bad_credentials; rate limits (primary: 403/429
 * with `x-ratelimit-remaining: 0`; secondary: 403/429 with `retry-after`) rate_limited with the
 * wait; other 403 permission_denied; 404 not_found; 405/409 and 422 "already exists" conflict;
 * other 4xx invalid_request with GitHub's validation messages; 5xx unavailable. A request
 * that got no answer (refused connection, DNS) is unavailable. Anything else is left to the
 * runtime (undefined).
 */
export function mapGitHubError(error: unknown): AppError | undefined {
  if (!isRequestError(error)) return undefined;
  if (error.response === undefined) {
    return remoteError(INTEGRATION, "unavailable", `cannot reach GitHub: ${error.message}`);
  }
  const body = bodyOf(error);
  const said = describe(body);
  const status = error.status;
  if (status === 403 || status === 429) {
    const wait = rateLimitWait(error, body.message);
    if (wait !== undefined) {
      return remoteError(
        INTEGRATION,
        "rate_limited",
        `rate limited (HTTP ${status}), retry in ${Math.ceil(wait / 1000)} s${said ? `: ${said}` : ""}`,
        { remoteStatus: status, retryAfterMs: wait },
      );
    }
  }
  const failure = failureOf(error, body);
  return remoteError(
    INTEGRATION,
    failure,
    `${PHRASES[failure]} (HTTP ${status})${said ? `: ${said}` : ""}${HINTS[failure] ?? ""}`,
    { remoteStatus: status },
  );
}
