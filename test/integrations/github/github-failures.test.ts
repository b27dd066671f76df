import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectCode } from "../../helpers/expect-code.js";
import { FakeGitHubServer } from "./fake-github-server.js";
import { CANARY, captured, github, githubRegistry, startFakeGitHub } from "./github-harness.js";

let fake: FakeGitHubServer;

beforeAll(async () => {
  fake = await startFakeGitHub();
});
afterAll(() => fake.close());
afterEach(() => {
  fake.echoCredential = false;
  expect(captured.logs).not.toContain(CANARY);
});

const getRepo = { operation: "get_repository", parameters: { repo: "hello" } };
const newIssue = { operation: "create_issue", parameters: { repo: "hello", title: "t" } };

describe("not configured", () => {
  it("reports not_configured naming GITHUB_TOKEN, and refuses calls as unavailable", async () => {
    const gh = githubRegistry({ GITHUB_API_URL: fake.url }).get("github");
    const status = await gh.status();
    expect(status).toMatchObject({ state: "not_configured", missing: ["GITHUB_TOKEN"] });
    expect(status.message).toContain("GITHUB_TOKEN");
    const error = await expectCode(gh.invoke(getRepo), "unavailable");
    expect(error.details).toMatchObject({ reason: "not_configured", missing: ["GITHUB_TOKEN"] });
    expect(error.message).toContain("set GITHUB_TOKEN");
  });

  it("takes its settings from the config file too", async () => {
    const gh = githubRegistry(
      {},
      { settings: { github: { token: CANARY, apiUrl: fake.url, owner: "octocat" } } },
    ).get("github");
    expect((await gh.invoke(getRepo)).result).toMatchObject({ full_name: "octocat/hello" });
  });
});

describe("parameters", () => {
  it("names the parameter that is missing, malformed or unknown", async () => {
    const gh = github(fake);
    const missing = await expectCode(
      gh.invoke({ operation: "comment", parameters: { repo: "hello", body: "x" } }),
      "invalid_argument",
    );
    expect(missing.message).toBe("parameters.issue_number is required");
    const bad = await expectCode(
      gh.invoke({ operation: "get_repository", parameters: { repo: "no spaces" } }),
      "invalid_argument",
    );
    expect(bad.details.field).toBe("parameters.repo");
    const extra = await expectCode(
      gh.invoke({ operation: "get_repository", parameters: { repo: "hello", branch: "x" } }),
      "invalid_argument",
    );
    expect(extra.message).toBe("parameters.branch is not a known field");
  });
});

describe("credentials", () => {
  it("says bad_credentials for a token GitHub rejects, without the token", async () => {
    const gh = github(fake, { GITHUB_TOKEN: `${CANARY}-revoked` });
    fake.echoCredential = true;
    const error = await expectCode(gh.invoke(getRepo), "unauthenticated");
    expect(error.details).toMatchObject({
      integration: "github",
      reason: "bad_credentials",
      remote_status: 401,
    });
    expect(error.message).toContain("Bad credentials");
    expect(error.message).toContain("[redacted]");
    expect(JSON.stringify(error.toJSON())).not.toContain(CANARY);
  });

  it("sends the token in the Authorization header the way GitHub takes it", async () => {
    await github(fake).invoke(getRepo);
    expect(fake.last("GET /repos/{owner}/{repo}")?.headers.authorization).toBe(`token ${CANARY}`);
  });
});

describe("rate limits", () => {
  it("waits for the primary limit's reset (x-ratelimit-reset) and tries again", async () => {
    fake.failNext("GET /repos/{owner}/{repo}", 1, {
      kind: "primary_rate_limit",
      resetInSeconds: 1,
    });
    const started = Date.now();
    const outcome = await github(fake).invoke(getRepo);
    expect(outcome).toMatchObject({ tries: 2, result: { full_name: "octocat/hello" } });
    // Reset is in whole epoch seconds: the wait is what is left of the current second plus one.
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it("waits for a secondary limit's retry-after (429 or 403) and tries again, also for writes", async () => {
    fake.failNext("POST /repos/{owner}/{repo}/issues", 1, {
      kind: "secondary_rate_limit",
      retryAfterSeconds: 1,
      status: 429,
    });
    const started = Date.now();
    const outcome = await github(fake).invoke(newIssue);
    expect(outcome.tries).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    fake.failNext("GET /repos/{owner}/{repo}", 1, {
      kind: "secondary_rate_limit",
      retryAfterSeconds: 1,
      status: 403,
    });
    expect((await github(fake).invoke(getRepo)).tries).toBe(2);
  });

  it("fails at once, saying how long to wait, when GitHub asks for longer than the service waits", async () => {
    fake.failNext("GET /repos/{owner}/{repo}", 1, {
      kind: "secondary_rate_limit",
      retryAfterSeconds: 120,
    });
    const before = fake.count("GET /repos/{owner}/{repo}");
    const error = await expectCode(github(fake).invoke(getRepo), "resource_exhausted");
    expect(error.details).toMatchObject({
      reason: "rate_limited",
      remote_status: 403,
      retry_after_ms: 120_000,
    });
    expect(error.message).toContain("secondary rate limit");
    expect(fake.count("GET /repos/{owner}/{repo}") - before).toBe(1);
  });

  it("reads a primary limit as rate_limited until the reset, not as permission denied", async () => {
    fake.failNext("GET /repos/{owner}/{repo}", 1, {
      kind: "primary_rate_limit",
      resetInSeconds: 600,
    });
    const error = await expectCode(github(fake).invoke(getRepo), "resource_exhausted");
    expect(error.details.reason).toBe("rate_limited");
    expect(error.details.retry_after_ms).toBeGreaterThan(598_000);
    expect(error.message).toContain("API rate limit exceeded");
  });

  it("rate-limits when the window's remaining count reaches 0", async () => {
    fake.rateLimit.remaining = 0;
    try {
      await expectCode(github(fake).invoke(getRepo), "resource_exhausted");
    } finally {
      fake.rateLimit.remaining = 5000;
    }
  });
});

describe("outages and deadlines", () => {
  it("retries a 5xx for reads, not for writes", async () => {
    fake.failNext("GET /repos/{owner}/{repo}", 1, { kind: "server_error", status: 502 });
    expect((await github(fake).invoke(getRepo)).tries).toBe(2);
    fake.failNext("POST /repos/{owner}/{repo}/issues", 1, { kind: "server_error", status: 503 });
    const before = fake.count("POST /repos/{owner}/{repo}/issues");
    const error = await expectCode(github(fake).invoke(newIssue), "unavailable");
    expect(error.details).toMatchObject({ reason: "unavailable", remote_status: 503 });
    expect(fake.count("POST /repos/{owner}/{repo}/issues") - before).toBe(1);
  });

  it("fails with a timeout at the deadline when GitHub does not answer", async () => {
    fake.failNext("GET /repos/{owner}/{repo}", 1, { kind: "hang" });
    const started = Date.now();
    const error = await expectCode(
      github(fake).invoke({ ...getRepo, timeoutMs: 300 }),
      "deadline_exceeded",
    );
    expect(error.details.reason).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("says unavailable when GitHub cannot be reached", async () => {
    const closed = await new FakeGitHubServer().start();
    await closed.close();
    const error = await expectCode(
      github(closed).invoke({ ...newIssue, timeoutMs: 1_000 }),
      "unavailable",
    );
    expect(error.message).toContain("ECONNREFUSED");
  });
});

describe("the token never leaks", () => {
  it("is absent from results, errors and logs, on success and when GitHub echoes it", async () => {
    const seen: string[] = [];
    const gh = github(fake);
    for (const call of [
      getRepo,
      newIssue,
      { operation: "list_repositories", parameters: {} },
      { operation: "test", parameters: {} },
    ]) {
      seen.push(JSON.stringify((await gh.invoke(call)).result));
    }
    fake.echoCredential = true;
    for (const call of [
      { operation: "get_repository", parameters: { repo: "missing" } },
      { operation: "create_branch", parameters: { repo: "hello", branch: "main" } },
      { operation: "merge_pull_request", parameters: { repo: "hello", pull_number: 77 } },
    ]) {
      const error = await gh.invoke(call).then(
        () => expect.fail("expected a failure"),
        (e: { toJSON(): unknown; message: string }) => e,
      );
      expect(error.message).toContain("received Authorization: token [redacted]");
      seen.push(JSON.stringify(error.toJSON()));
    }
    fake.failNext("GET /user", 1, { kind: "bad_credentials" });
    const down = await github(fake).status();
    expect(down.state).toBe("down");
    seen.push(JSON.stringify(down));
    for (const text of seen) expect(text).not.toContain(CANARY);
    expect(captured.logs).toContain("integration call failed");
  });
});
