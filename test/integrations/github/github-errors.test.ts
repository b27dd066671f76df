import { describe, expect, it } from "vitest";
import { mapGitHubError } from "../../../src/integrations/github/errors.js";

/** An error shaped like Octokit's RequestError for an answer GitHub gave. */
function answered(status: number, data: unknown, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error("octokit message"), {
    name: "HttpError",
    status,
    response: { url: "https://api.github.com/x", status, headers, data },
  });
}

describe("mapping GitHub's answers", () => {
  it("reads a 403 whose message alone says secondary rate limit as a one-minute wait", () => {
    const error = mapGitHubError(
      answered(403, { message: "You have exceeded a secondary rate limit." }),
    );
    expect(error?.details).toMatchObject({ reason: "rate_limited", retry_after_ms: 60_000 });
  });

  it("reads retry-after as an HTTP date too", () => {
    const when = new Date(Date.now() + 30_000).toUTCString();
    const error = mapGitHubError(answered(429, { message: "slow" }, { "retry-after": when }));
    expect(error?.details.reason).toBe("rate_limited");
    expect(error?.details.retry_after_ms).toBeGreaterThan(28_000);
  });

  it("keeps a plain 403 a permission denial", () => {
    const error = mapGitHubError(
      answered(
        403,
        { message: "Must have admin rights to Repository." },
        { "x-ratelimit-remaining": "4999" },
      ),
    );
    expect(error?.details).toMatchObject({ reason: "permission_denied", remote_status: 403 });
    expect(error?.message).toBe(
      "github: the token lacks permission (HTTP 403): Must have admin rights to Repository.",
    );
  });

  it("reads 422 already_exists as a conflict, other validation errors as invalid, listing them", () => {
    const exists = mapGitHubError(
      answered(422, {
        message: "Validation Failed",
        errors: [{ resource: "Label", code: "already_exists", field: "name" }],
      }),
    );
    expect(exists?.details.reason).toBe("conflict");
    expect(exists?.message).toContain("Validation Failed: Label name already_exists");
    const invalid = mapGitHubError(
      answered(422, {
        message: "Validation Failed",
        errors: [
          { resource: "Issue", field: "title", code: "missing_field" },
          { message: "custom words" },
        ],
      }),
    );
    expect(invalid?.details.reason).toBe("invalid_request");
    expect(invalid?.message).toContain("Issue title missing_field: custom words");
  });

  it("leaves errors that are not GitHub's answers to the runtime", () => {
    expect(mapGitHubError(new Error("boom"))).toBeUndefined();
    expect(
      mapGitHubError(Object.assign(new Error("aborted"), { name: "AbortError", status: 500 })),
    ).toBeUndefined();
  });
});
