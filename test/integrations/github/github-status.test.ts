import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectCode } from "../../helpers/expect-code.js";
import type { FakeGitHubServer } from "./fake-github-server.js";
import { CANARY, captured, github, startFakeGitHub } from "./github-harness.js";

let fake: FakeGitHubServer;
let enterprise: FakeGitHubServer;

beforeAll(async () => {
  fake = await startFakeGitHub();
  enterprise = await startFakeGitHub({ pathPrefix: "/api/v3" });
});
afterAll(async () => {
  await fake.close();
  await enterprise.close();
});
afterEach(() => {
  expect(captured.logs).not.toContain(CANARY);
});

describe("status", () => {
  it("is healthy after GET /user answers", async () => {
    const gh = github(fake);
    const status = await gh.status();
    expect(status).toMatchObject({ state: "healthy", message: "", missing: [] });
    expect(fake.last("GET /user")?.headers.authorization).toBe(`token ${CANARY}`);
    const test = await gh.invoke({ operation: "test", parameters: {} });
    expect(test.result).toMatchObject({ state: "healthy" });
  });

  it("is down with the reason when the token is rejected, and the test operation fails", async () => {
    fake.failNext("GET /user", 2, { kind: "bad_credentials" });
    const status = await github(fake).status();
    expect(status.state).toBe("down");
    expect(status.message).toContain("token was rejected");
    await expectCode(github(fake).invoke({ operation: "test", parameters: {} }), "unauthenticated");
  });

  it("is down when GitHub fails, degraded while rate limited", async () => {
    fake.failNext("GET /user", 1, { kind: "server_error", status: 500 });
    expect((await github(fake).status()).state).toBe("down");
    fake.failNext("GET /user", 1, { kind: "primary_rate_limit", resetInSeconds: 60 });
    const limited = await github(fake).status();
    expect(limited.state).toBe("degraded");
    expect(limited.message).toContain("rate limited");
  });
});

describe("GitHub Enterprise Server", () => {
  it("works against an API under /api/v3", async () => {
    const gh = github(enterprise);
    expect((await gh.status()).state).toBe("healthy");
    const { result } = await gh.invoke({
      operation: "create_branch",
      parameters: { repo: "hello", branch: "ghe" },
    });
    expect(result).toMatchObject({ ref: "refs/heads/ghe" });
    expect(enterprise.requests.map((r) => r.route)).toEqual([
      "GET /user",
      "GET /repos/{owner}/{repo}",
      "GET /repos/{owner}/{repo}/git/ref/{ref+}",
      "POST /repos/{owner}/{repo}/git/refs",
    ]);
  });

  it("accepts the base URL with a trailing slash", async () => {
    const gh = github(enterprise, { GITHUB_API_URL: `${enterprise.url}/` });
    expect(
      (await gh.invoke({ operation: "get_repository", parameters: { repo: "hello" } })).result,
    ).toMatchObject({
      full_name: "octocat/hello",
    });
  });

  it("is not found without the prefix (the fake serves only under it)", async () => {
    const gh = github(enterprise, { GITHUB_API_URL: enterprise.url.replace(/\/api\/v3$/, "") });
    await expectCode(
      gh.invoke({ operation: "get_repository", parameters: { repo: "hello" } }),
      "not_found",
    );
  });
});

describe("the fake GitHub itself", () => {
  it("takes token or Bearer, refuses a missing or wrong one with GitHub's body, and sends rate-limit headers", async () => {
    const get = (authorization?: string) =>
      fetch(`${fake.url}/user`, {
        headers: authorization === undefined ? {} : { authorization },
      });
    const bearer = await get(`Bearer ${CANARY}`);
    expect(bearer.status).toBe(200);
    expect(((await bearer.json()) as { login: string }).login).toBe("octocat");
    expect(Number(bearer.headers.get("x-ratelimit-remaining"))).toBeLessThan(5000);
    expect(bearer.headers.get("x-ratelimit-reset")).toMatch(/^\d{10}$/);
    const missing = await get();
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ message: "Requires authentication" });
    const wrong = await get("token nope");
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({
      message: "Bad credentials",
      documentation_url: "https://docs.github.com/rest",
      status: "401",
    });
  });
});
