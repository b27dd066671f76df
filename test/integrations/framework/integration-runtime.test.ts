import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { IntegrationRegistry } from "../../../src/integrations/index.js";
import { expectCode } from "../../helpers/expect-code.js";
import { echoPlugin } from "./echo-plugin.js";
import { hang, json, ScriptedServer } from "./scripted-server.js";
import { testRegistry } from "./test-registry.js";

const TOKEN = "canary-7c1d2e9f-token";

let server: ScriptedServer;
let logs: string;

function registry(
  env: Record<string, string | undefined>,
  integrations: Record<string, unknown> = {},
): IntegrationRegistry {
  return testRegistry([echoPlugin], env, (line) => (logs += line), {
    retryMaxDelayMs: 300,
    callTimeoutMs: 2_000,
    ...integrations,
  });
}

const configured = () => registry({ ECHO_URL: server.url, ECHO_TOKEN: TOKEN });

beforeAll(async () => {
  server = await new ScriptedServer().start();
});
afterAll(() => server.close());
afterEach(() => {
  // No line the service logged, whatever the test did, may carry the secret.
  expect(logs).not.toContain(TOKEN);
});
beforeAll(() => {
  logs = "";
});

describe("an integration that is not configured", () => {
  it("reports not_configured naming the variables, and refuses calls with 503 naming them", async () => {
    const echo = registry({ ECHO_URL: server.url }).get("echo");
    const status = await echo.status();
    expect(status).toMatchObject({ state: "not_configured", missing: ["ECHO_TOKEN"] });
    expect(status.message).toContain("ECHO_TOKEN");
    const error = await expectCode(
      echo.invoke({ operation: "get_thing", parameters: { id: "a1" } }),
      "unavailable",
    );
    expect(error.message).toBe(
      "echo is not configured: set ECHO_TOKEN (or integrations.settings.echo.token in the config file)",
    );
    expect(error.details).toMatchObject({ reason: "not_configured", missing: ["ECHO_TOKEN"] });
  });

  it("names every missing variable in one sentence", async () => {
    const status = await registry({}).get("echo").status();
    expect(status.missing).toEqual(["ECHO_URL", "ECHO_TOKEN"]);
    expect(status.message).toBe(
      "echo is not configured: set ECHO_URL and ECHO_TOKEN (or url and token under integrations.settings.echo in the config file)",
    );
  });

  it("takes a setting from the config file before the environment", async () => {
    const echo = registry(
      { ECHO_URL: "http://127.0.0.1:1" },
      { settings: { echo: { url: server.url, token: TOKEN } } },
    ).get("echo");
    server.on("GET /check", json(200, { ok: true }));
    expect((await echo.status()).state).toBe("healthy");
  });
});

describe("calling an operation", () => {
  it("validates parameters, naming the parameter", async () => {
    const echo = configured().get("echo");
    const missing = await expectCode(
      echo.invoke({ operation: "get_thing", parameters: {} }),
      "invalid_argument",
    );
    expect(missing.message).toBe("parameters.id is required");
    const bad = await expectCode(
      echo.invoke({ operation: "get_thing", parameters: { id: "NO!" } }),
      "invalid_argument",
    );
    expect(bad.details.field).toBe("parameters.id");
    const extra = await expectCode(
      echo.invoke({ operation: "get_thing", parameters: { id: "a", nope: 1 } }),
      "invalid_argument",
    );
    expect(extra.message).toBe("parameters.nope is not a known field");
  });

  it("lists the valid operations when one is unknown, and the services when a service is", async () => {
    const echo = configured().get("echo");
    const error = await expectCode(
      echo.invoke({ operation: "fly", parameters: {} }),
      "invalid_argument",
    );
    expect(error.message).toBe(
      'echo has no operation "fly"; valid operations are test, get_thing, post_note, store.put',
    );
    const service = await expectCode(
      echo.invoke({ service: "nosuch", operation: "put", parameters: {} }),
      "invalid_argument",
    );
    expect(service.message).toContain("valid services are store");
    server.on("GET /store", json(200, { stored: true }));
    const viaService = await echo.invoke({ service: "store", operation: "put", parameters: {} });
    expect(viaService.result).toEqual({ stored: true });
  });

  it("returns the remote's answer with secrets it echoes redacted", async () => {
    server.on("GET /things/a1", (req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: "a1", seen_auth: req.headers.authorization }));
    });
    const outcome = await configured()
      .get("echo")
      .invoke({ operation: "get_thing", parameters: { id: "a1" } });
    expect(outcome).toMatchObject({ tries: 1, replayed: false });
    expect(outcome.result).toEqual({ id: "a1", seen_auth: "Bearer [redacted]" });
  });

  it("maps remote failures to clear errors without leaking the secret", async () => {
    const echo = configured().get("echo");
    server.on("GET /things/b1", json(401, { error: `token ${TOKEN} is revoked` }));
    const unauth = await expectCode(
      echo.invoke({ operation: "get_thing", parameters: { id: "b1" } }),
      "unauthenticated",
    );
    expect(unauth.details).toMatchObject({
      integration: "echo",
      reason: "bad_credentials",
      remote_status: 401,
    });
    expect(unauth.message).not.toContain(TOKEN);
    expect(unauth.message).toContain("[redacted]");
    server.on("GET /things/c1", json(404, { error: "no such thing" }));
    const missing = await expectCode(
      echo.invoke({ operation: "get_thing", parameters: { id: "c1" } }),
      "not_found",
    );
    expect(missing.message).toBe('echo: not found (HTTP 404): {"error":"no such thing"}');
    server.on("GET /things/d1", json(403, { error: "scope" }));
    await expectCode(
      echo.invoke({ operation: "get_thing", parameters: { id: "d1" } }),
      "permission_denied",
    );
  });

  it("retries a rate-limited call after the Retry-After it was given", async () => {
    server.on(
      "GET /things/r1",
      json(429, { error: "slow down" }, { "retry-after": "1" }),
      json(200, { id: "r1" }),
    );
    const started = Date.now();
    const outcome = await registry(
      { ECHO_URL: server.url, ECHO_TOKEN: TOKEN },
      { retryMaxDelayMs: 2_000 },
    )
      .get("echo")
      .invoke({ operation: "get_thing", parameters: { id: "r1" } });
    expect(outcome).toMatchObject({ result: { id: "r1" }, tries: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("does not wait past retryMaxDelayMs: a longer Retry-After fails at once, saying how long", async () => {
    server.on("GET /things/r3", json(429, {}, { "retry-after": "3600" }), json(200, { id: "r3" }));
    const error = await expectCode(
      configured()
        .get("echo")
        .invoke({ operation: "get_thing", parameters: { id: "r3" } }),
      "resource_exhausted",
    );
    expect(error.details.retry_after_ms).toBe(3_600_000);
    expect(server.count("GET /things/r3")).toBe(1);
  });

  it("backs off without Retry-After, doubling up to the cap", async () => {
    server.on("GET /things/r4", json(429, {}), json(429, {}), json(200, { id: "r4" }));
    const started = Date.now();
    const outcome = await configured()
      .get("echo")
      .invoke({ operation: "get_thing", parameters: { id: "r4" } });
    expect(outcome.tries).toBe(3);
    // 250 ms then 300 ms (the cap) in this registry.
    expect(Date.now() - started).toBeGreaterThanOrEqual(540);
  });

  it("gives up on rate limits after the configured retries, saying how long to wait", async () => {
    server.on("GET /things/r2", json(429, { error: "slow down" }, { "retry-after": "0.05" }));
    const before = server.count("GET /things/r2");
    const error = await expectCode(
      registry({ ECHO_URL: server.url, ECHO_TOKEN: TOKEN }, { retries: 1, retryMaxDelayMs: 1_000 })
        .get("echo")
        .invoke({ operation: "get_thing", parameters: { id: "r2" } }),
      "resource_exhausted",
    );
    expect(error.details).toMatchObject({ reason: "rate_limited", retry_after_ms: 50 });
    expect(server.count("GET /things/r2") - before).toBe(2);
  });

  it("retries an outage only for calls without side effects", async () => {
    server.on("GET /things/u1", json(503, {}), json(200, { id: "u1" }));
    const read = await configured()
      .get("echo")
      .invoke({ operation: "get_thing", parameters: { id: "u1" } });
    expect(read.tries).toBe(2);
    server.on("POST /notes", json(503, {}));
    const before = server.count("POST /notes");
    await expectCode(
      configured()
        .get("echo")
        .invoke({ operation: "post_note", parameters: { text: "x" } }),
      "unavailable",
    );
    expect(server.count("POST /notes") - before).toBe(1);
  });

  it("fails with a timeout at the deadline when the remote does not answer", async () => {
    server.on("GET /things/h1", hang);
    const started = Date.now();
    const error = await expectCode(
      configured()
        .get("echo")
        .invoke({ operation: "get_thing", parameters: { id: "h1" }, timeoutMs: 300 }),
      "deadline_exceeded",
    );
    expect(error.details.reason).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("says unavailable when the remote cannot be reached", async () => {
    const closed = await new ScriptedServer().start();
    await closed.close();
    const echo = registry({ ECHO_URL: closed.url, ECHO_TOKEN: TOKEN }).get("echo");
    const error = await expectCode(
      echo.invoke({ operation: "post_note", parameters: { text: "x" } }),
      "unavailable",
    );
    expect(error.message).toContain("ECONNREFUSED");
  });
});

describe("side effects and idempotency keys", () => {
  it("acts once per key: a repeat gets the recorded result, concurrent repeats share the call", async () => {
    let n = 0;
    server.on("POST /notes", (_req, res) => {
      n += 1;
      setTimeout(() => json(201, { note: n })(_req, res), 50);
    });
    const echo = configured().get("echo");
    const call = () =>
      echo.invoke({ operation: "post_note", parameters: { text: "hi" }, idempotencyKey: "k1" });
    const [a, b] = await Promise.all([call(), call()]);
    const c = await call();
    expect(n).toBe(1);
    expect([a.result, b.result, c.result]).toEqual([{ note: 1 }, { note: 1 }, { note: 1 }]);
    expect([a.replayed, b.replayed, c.replayed]).toEqual([false, true, true]);
    expect(server.seen.at(-1)?.headers["idempotency-key"]).toBe("k1");
  });

  it("refuses a key reused with other parameters", async () => {
    server.on("POST /notes", json(201, { note: "x" }));
    const echo = configured().get("echo");
    await echo.invoke({
      operation: "post_note",
      parameters: { text: "one" },
      idempotencyKey: "k2",
    });
    const error = await expectCode(
      echo.invoke({ operation: "post_note", parameters: { text: "two" }, idempotencyKey: "k2" }),
      "failed_precondition",
    );
    expect(error.details.field).toBe("idempotency_key");
  });

  it("acts every time without a key", async () => {
    server.on("POST /notes", json(201, { ok: true }));
    const before = server.count("POST /notes");
    const echo = configured().get("echo");
    await echo.invoke({ operation: "post_note", parameters: { text: "a" } });
    await echo.invoke({ operation: "post_note", parameters: { text: "a" } });
    expect(server.count("POST /notes") - before).toBe(2);
  });
});

describe("status", () => {
  it("is healthy after a good check, with its time and latency, and reuses a fresh check", async () => {
    server.on("GET /check", json(200, { ok: true }));
    const echo = configured().get("echo");
    const status = await echo.status();
    expect(status).toMatchObject({ state: "healthy", message: "", missing: [] });
    expect(status.checkedAt).toBeGreaterThan(Date.now() - 5_000);
    expect(status.latencyMs).toBeGreaterThanOrEqual(0);
    const before = server.count("GET /check");
    await echo.status();
    expect(server.count("GET /check")).toBe(before);
    await echo.status({ refresh: true });
    expect(server.count("GET /check")).toBe(before + 1);
  });

  it("is degraded when the check is slow, down when it fails (without the secret)", async () => {
    server.on("GET /check", (req, res) => setTimeout(() => json(200, {})(req, res), 250));
    const slow = registry({ ECHO_URL: server.url, ECHO_TOKEN: TOKEN }, { degradedLatencyMs: 100 });
    expect((await slow.get("echo").status()).state).toBe("degraded");
    server.on("GET /check", json(401, { error: `bad token ${TOKEN}` }));
    const down = await configured().get("echo").status();
    expect(down.state).toBe("down");
    expect(down.message).toContain("credentials were rejected");
    expect(down.message).not.toContain(TOKEN);
  });

  it("runs the check as the test operation", async () => {
    server.on("GET /check", json(200, {}));
    const outcome = await configured().get("echo").invoke({ operation: "test", parameters: {} });
    expect(outcome.result).toMatchObject({ state: "healthy" });
    server.on("GET /check", json(403, {}));
    await expectCode(
      configured().get("echo").invoke({ operation: "test", parameters: {} }),
      "permission_denied",
    );
  });
});
