import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectCode } from "../../helpers/expect-code.js";
import { FakeHttpServer } from "./fake-http-server.js";
import { type Harness, httpHarness } from "./http-harness.js";

/** A unique value that must never show in a result, an error or a log line. */
const CANARY = "canary-5b2f9e71-d04c-4f3a";

let server: FakeHttpServer;
let harness: Harness;
let base: string;

beforeAll(async () => {
  server = await new FakeHttpServer({ token: "the-right-token" }).start();
  base = `http://api.test:${server.port}`;
  harness = httpHarness({ allowedHosts: ["*.test"] });
});
afterAll(() => server.close());
afterEach(() => {
  expect(harness.logs()).not.toContain(CANARY);
});

const invoke = (parameters: Record<string, unknown>, extra: { timeoutMs?: number } = {}) =>
  harness.http.invoke({ operation: "request", parameters, ...extra });

describe("parameters", () => {
  it("are validated, naming the parameter", async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{}, "parameters.url", "parameters.url is required"],
      [
        { url: `${base}/get`, method: "FETCH" },
        "parameters.method",
        "must be one of GET, HEAD, POST",
      ],
      [{ url: `${base}/get`, nope: 1 }, "parameters.nope", "parameters.nope is not a known field"],
      [
        { url: `${base}/get`, max_response_bytes: 20_000_000 },
        "parameters.max_response_bytes",
        "at most 10485760",
      ],
      [{ url: `${base}/get`, accept_status: [99] }, "parameters.accept_status[0]", "at least 100"],
      [{ url: `${base}/get`, body_base64: "not base64!" }, "parameters.body_base64", "base64"],
      [
        { url: `${base}/get`, headers: { "bad name": "x" } },
        "parameters.headers.bad name",
        "must match",
      ],
      [
        { url: `${base}/post`, method: "POST", json: {}, body: "x" },
        "parameters.body",
        "at most one of",
      ],
      [
        { url: `${base}/get`, method: "HEAD", body: "x" },
        "parameters.body",
        "HEAD request has no body",
      ],
      [
        { url: `${base}/get`, headers: { Host: "evil.test" } },
        "parameters.headers.Host",
        "cannot be set",
      ],
      [
        { url: `${base}/get`, headers: { "Transfer-Encoding": "chunked" } },
        "parameters.headers.Transfer-Encoding",
        "hop-by-hop",
      ],
      [
        { url: `${base}/get`, headers: { Connection: "close" } },
        "parameters.headers.Connection",
        "hop-by-hop",
      ],
      [
        { url: `${base}/get`, headers: { "X-A": "1", "x-a": "2" } },
        "parameters.headers.x-a",
        "given twice",
      ],
      [
        { url: `http://user:pass@api.test:${server.port}/get` },
        "parameters.url",
        "Authorization header",
      ],
      [{ url: "not a url" }, "parameters.url", "not an absolute http or https URL"],
      [
        { url: `${base}/get`, idempotency_header: "Host" },
        "parameters.idempotency_header",
        "cannot be set",
      ],
    ];
    const before = server.count();
    for (const [parameters, field, message] of cases) {
      const error = await expectCode(invoke(parameters), "invalid_argument");
      expect(error.details.field, JSON.stringify(parameters)).toBe(field);
      expect(error.message, JSON.stringify(parameters)).toContain(message);
    }
    expect(server.count()).toBe(before);
  });
});

describe("remote failures", () => {
  it("bad credentials: unauthenticated, reason bad_credentials", async () => {
    const ok = await invoke({
      url: `${base}/bearer`,
      headers: { Authorization: "Bearer the-right-token" },
    });
    expect(ok.result).toMatchObject({ status: 200, body: { authenticated: true } });
    const error = await expectCode(
      invoke({ url: `${base}/bearer`, headers: { Authorization: "Bearer wrong" } }),
      "unauthenticated",
    );
    expect(error.details).toMatchObject({
      integration: "http",
      reason: "bad_credentials",
      remote_status: 401,
    });
  });

  it("permission denied and not found", async () => {
    server.failNext("/get", 1, { status: 403, body: { error: "forbidden" } });
    const denied = await expectCode(invoke({ url: `${base}/get` }), "permission_denied");
    expect(denied.details).toMatchObject({ reason: "permission_denied", remote_status: 403 });
    expect(denied.message).toContain('{"error":"forbidden"}');
    const missing = await expectCode(invoke({ url: `${base}/nothing-here` }), "not_found");
    expect(missing.details.remote_status).toBe(404);
  });

  it("honours Retry-After on 429 and tries again", async () => {
    server.rateLimitNext("/get", 1, "0.2");
    const before = server.count("/get");
    const started = Date.now();
    const outcome = await invoke({ url: `${base}/get` });
    expect(outcome.tries).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(server.count("/get") - before).toBe(2);
  });

  it("gives up on a rate limit after the configured retries, saying how long to wait", async () => {
    const { http } = httpHarness({ allowedHosts: ["api.test"], integrations: { retries: 1 } });
    server.rateLimitNext("/get", 5, "0.05");
    const error = await expectCode(
      http.invoke({ operation: "request", parameters: { url: `${base}/get` } }),
      "resource_exhausted",
    );
    expect(error.details).toMatchObject({
      reason: "rate_limited",
      retry_after_ms: 50,
      remote_status: 429,
    });
    server.clearFailures();
  });

  it("says unavailable when the host cannot be reached or found", async () => {
    const closed = await new FakeHttpServer().start();
    await closed.close();
    const refused = await expectCode(
      invoke({ url: `http://api.test:${closed.port}/get` }),
      "unavailable",
    );
    expect(refused.message).toContain("ECONNREFUSED");
    const unknown = await expectCode(invoke({ url: "http://nowhere.test/" }), "unavailable");
    expect(unknown.message).toContain("ENOTFOUND");
  });
});

describe("secrets in requests", () => {
  it("are sent, never logged, and masked where the remote echoes them on success", async () => {
    const outcome = await invoke({
      url: `${base}/anything/echo`,
      headers: {
        Authorization: `Bearer ${CANARY}`,
        "X-Api-Key": `${CANARY}-key`,
        "X-Trace": "t-1",
      },
      query: { api_key: `${CANARY}-query`, page: 2 },
    });
    const seen = server.last();
    expect(seen?.headers.authorization).toBe(`Bearer ${CANARY}`);
    expect(seen?.headers["x-api-key"]).toBe(`${CANARY}-key`);
    expect(seen?.query.api_key).toBe(`${CANARY}-query`);
    const text = JSON.stringify(outcome.result);
    expect(text).not.toContain(CANARY);
    expect(text).toContain("[redacted]");
    expect(text).toContain("t-1");
    expect(harness.logs()).toContain("http integration got an answer");
  });

  it("are masked from an error body that echoes them", async () => {
    server.echoCredentials = true;
    try {
      const error = await expectCode(
        invoke({ url: `${base}/bearer`, headers: { Authorization: `Bearer ${CANARY}` } }),
        "unauthenticated",
      );
      expect(error.message).toContain("[redacted]");
      expect(JSON.stringify(error.toJSON())).not.toContain(CANARY);
    } finally {
      server.echoCredentials = false;
    }
  });

  it("are not logged when a call is refused or times out", async () => {
    const headers = { Authorization: `Bearer ${CANARY}` };
    await expectCode(
      invoke({ url: `http://127.0.0.1:${server.port}/get`, headers }),
      "permission_denied",
    );
    await expectCode(
      invoke({ url: `${base}/delay/10`, headers, query: { token: CANARY } }, { timeoutMs: 200 }),
      "deadline_exceeded",
    );
    expect(harness.logs()).toContain("integration call failed");
  });
});
