import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { startIntegrationService } from "../../src/integrations/index.js";
import type { RunningComponent } from "../../src/lifecycle/index.js";
import { createLogger } from "../../src/observability/index.js";
import { echoPlugin } from "../integrations/framework/echo-plugin.js";
import { json, ScriptedServer } from "../integrations/framework/scripted-server.js";
import { type OpenApiDocument, ResponseChecker, TestSystem } from "./gateway-harness.js";

const SECRET = "canary-gw-5f3e1a";

/** The integration routes with a real integration service and a scripted remote behind it. */
describe("gateway with an integration service", () => {
  let remote: ScriptedServer;
  let integrations: RunningComponent;
  let system: TestSystem;
  let checker: ResponseChecker;

  beforeAll(async () => {
    remote = await new ScriptedServer().start();
    remote.on("GET /check", json(200, {}));
    const quiet = createLogger({
      process: "integration",
      destination: new Writable({ write: (_c, _e, cb) => cb() }),
    });
    integrations = await startIntegrationService(
      loadConfig({
        env: {},
        flags: { "integration-port": "0" },
        base: { integrations: { plugins: ["examples/plugins/ntfy.mjs"] } },
      }),
      quiet,
      {
        plugins: [echoPlugin],
        env: { ECHO_URL: remote.url, ECHO_TOKEN: SECRET },
        inMemoryJournal: true,
      },
    );
    system = await TestSystem.start({ integrationPort: integrations.port });
    checker = new ResponseChecker(
      (await system.request("GET", "/openapi.json")).json as OpenApiDocument,
    );
  });

  afterAll(async () => {
    await system?.close();
    await integrations?.close();
    await remote?.close();
  });

  it("lists the integrations with state and operations", async () => {
    const res = await system.request("GET", "/api/v1/integrations");
    expect(res.status).toBe(200);
    expect(checker.errors("GET", "/api/v1/integrations", 200, res.json)).toEqual([]);
    const list = (res.json as { integrations: Array<Record<string, unknown>> }).integrations;
    expect(list.map((i) => [i.name, i.state])).toEqual([
      ["echo", "healthy"],
      ["ntfy", "not_configured"],
    ]);
    expect(list[1]).toMatchObject({
      missing: ["NTFY_URL"],
      checked_at: null,
      operations: ["test", "publish"],
    });
  });

  it("includes them in the system status", async () => {
    const res = await system.request("GET", "/api/v1/system/status");
    expect(res.status).toBe(200);
    expect(checker.errors("GET", "/api/v1/system/status", 200, res.json)).toEqual([]);
    const status = res.json as { integrations?: Array<{ name: string }> };
    expect(status.integrations?.map((i) => i.name)).toEqual(["echo", "ntfy"]);
  });

  it("describes one integration's operations with their parameter schemas", async () => {
    const res = await system.request("GET", "/api/v1/integrations/echo");
    expect(res.status).toBe(200);
    expect(checker.errors("GET", "/api/v1/integrations/{name}", 200, res.json)).toEqual([]);
    const detail = res.json as {
      operations: Array<{ name: string; side_effect: boolean; parameters: object }>;
    };
    expect(detail.operations.find((o) => o.name === "post_note")).toMatchObject({
      side_effect: true,
      parameters: { required: ["text"] },
    });
  });

  it("reports status with check time and latency, refreshed on demand", async () => {
    const res = await system.request("GET", "/api/v1/integrations/echo/status?refresh=true");
    expect(res.status).toBe(200);
    expect(checker.errors("GET", "/api/v1/integrations/{name}/status", 200, res.json)).toEqual([]);
    expect(res.json).toMatchObject({ name: "echo", state: "healthy", message: "", missing: [] });
    expect(typeof (res.json as { latency_ms: unknown }).latency_ms).toBe("number");
  });

  it("calls an operation, once per Idempotency-Key", async () => {
    remote.on("POST /notes", json(201, { note: "n1" }));
    const call = () =>
      system.request("POST", "/api/v1/integrations/echo", {
        body: { operation: "post_note", parameters: { text: "ship it" } },
        headers: { "idempotency-key": "note-1" },
      });
    const first = await call();
    expect(first.status).toBe(200);
    expect(checker.errors("POST", "/api/v1/integrations/{name}", 200, first.json)).toEqual([]);
    expect(first.json).toMatchObject({
      integration: "echo",
      operation: "post_note",
      result: { note: "n1" },
      tries: 1,
      replayed: false,
    });
    expect(((await call()).json as { replayed: boolean }).replayed).toBe(true);
    expect(remote.count("POST /notes")).toBe(1);
  });

  it("adds the integration service's metrics to /metrics", async () => {
    const res = await system.request("GET", "/metrics");
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      'mcp_integration_calls_total{integration="echo",operation="post_note",outcome="ok"} 2',
    );
    expect(res.text).toContain(
      'mcp_integration_state{integration="ntfy",state="not_configured"} 1',
    );
    expect(res.text).toContain("mcp_gateway_");
  });

  it("answers 503 naming the variable when the integration is not configured", async () => {
    const res = await system.request("POST", "/api/v1/integrations/ntfy", {
      body: { operation: "publish", parameters: { topic: "t", message: "m" } },
    });
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({
      error: {
        code: "unavailable",
        message:
          "ntfy is not configured: set NTFY_URL (or integrations.settings.ntfy.url in the config file)",
        details: { reason: "not_configured", missing: ["NTFY_URL"] },
      },
    });
  });

  it("names bad parameters, unknown operations and unknown integrations", async () => {
    const bad = await system.request("POST", "/api/v1/integrations/echo", {
      body: { operation: "get_thing", parameters: { id: 7 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { message: "parameters.id must be a string" } });
    const op = await system.request("POST", "/api/v1/integrations/echo", {
      body: { operation: "fly" },
    });
    expect(op.status).toBe(400);
    expect((op.json as { error: { message: string } }).error.message).toContain(
      "valid operations are test, get_thing, post_note, store.put",
    );
    const missingOp = await system.request("POST", "/api/v1/integrations/echo", { body: {} });
    expect(missingOp.status).toBe(400);
    expect((missingOp.json as { error: { message: string } }).error.message).toBe(
      "body.operation is required",
    );
    const unknown = await system.request("POST", "/api/v1/integrations/zzz", {
      body: { operation: "x" },
    });
    expect(unknown.status).toBe(404);
  });

  it("keeps remote failures' meaning and never shows the secret", async () => {
    remote.on("GET /things/x1", json(401, { message: `token ${SECRET} expired` }));
    const res = await system.request("POST", "/api/v1/integrations/echo", {
      body: { operation: "get_thing", parameters: { id: "x1" } },
    });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({
      error: { details: { integration: "echo", reason: "bad_credentials" } },
    });
    expect(res.text).not.toContain(SECRET);
    remote.on("GET /things/x2", json(429, {}, { "retry-after": "120" }));
    const limited = await system.request("POST", "/api/v1/integrations/echo", {
      body: { operation: "get_thing", parameters: { id: "x2" } },
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("120");
  });
});
