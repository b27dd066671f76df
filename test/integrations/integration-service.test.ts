import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { IntegrationServiceClient } from "../../src/gen/mcp/v1/integration.js";
import { startIntegrationService } from "../../src/integrations/index.js";
import type { RunningComponent } from "../../src/lifecycle/index.js";
import { createLogger } from "../../src/observability/index.js";
import {
  checkGrpcHealth,
  CLIENT_OPTIONS,
  insecure,
  type PromiseClient,
  promiseClient,
} from "../../src/rpc/index.js";
import { expectCode } from "../helpers/expect-code.js";
import { echoPlugin } from "./framework/echo-plugin.js";
import { json, ScriptedServer } from "./framework/scripted-server.js";

const quietLogger = () =>
  createLogger({
    process: "integration",
    destination: new Writable({ write: (_c, _e, cb) => cb() }),
  });

/** The gRPC service with the framework's test plugin and the example user plugin loaded from its path. */
describe("integration service over gRPC", () => {
  let remote: ScriptedServer;
  let running: RunningComponent;
  let grpcClient: IntegrationServiceClient;
  let client: PromiseClient<IntegrationServiceClient>;

  beforeAll(async () => {
    remote = await new ScriptedServer().start();
    const config = loadConfig({
      flags: { "integration-port": "0" },
      env: {},
      base: { integrations: { plugins: ["examples/plugins/ntfy.mjs"] } },
    });
    running = await startIntegrationService(config, quietLogger(), {
      plugins: [echoPlugin],
      env: { ECHO_URL: remote.url, ECHO_TOKEN: "echo-secret-123", NTFY_URL: remote.url },
      inMemoryJournal: true,
    });
    grpcClient = new IntegrationServiceClient(
      `127.0.0.1:${running.port}`,
      insecure(),
      CLIENT_OPTIONS,
    );
    client = promiseClient(grpcClient, 5_000);
  });

  afterAll(async () => {
    grpcClient?.close();
    await running?.close();
    await remote?.close();
  });

  it("answers health", async () => {
    expect(await checkGrpcHealth(`127.0.0.1:${running.port}`)).toBe(true);
  });

  it("lists the built-in and the user's plugins with their state and operations", async () => {
    remote.on("GET /check", json(200, {}));
    remote.on("GET /v1/health", json(200, { healthy: true }));
    const { integrations } = await client.listIntegrations({});
    expect(integrations.map((i) => [i.name, i.state])).toEqual([
      ["echo", "healthy"],
      ["ntfy", "healthy"],
    ]);
    const ntfy = integrations[1];
    expect(ntfy?.operations).toEqual(["test", "publish"]);
    expect(JSON.parse(ntfy?.operationDetails[1]?.parametersSchemaJson ?? "{}")).toMatchObject({
      required: ["topic", "message"],
    });
  });

  it("invokes the user's plugin, which validates, acts once per key and maps errors", async () => {
    remote.on("POST /", (req, res) => {
      const body = JSON.parse(req.body) as { topic: string; message: string };
      json(200, { id: "m1", event: "message", topic: body.topic, message: body.message })(req, res);
    });
    const call = () =>
      client.invoke({
        integration: "ntfy",
        service: "",
        operation: "publish",
        parametersJson: JSON.stringify({ topic: "deploys", message: "done" }),
        idempotencyKey: "deploy-42",
        timeoutMs: 0,
      });
    const first = await call();
    expect(JSON.parse(first.resultJson)).toMatchObject({ id: "m1", topic: "deploys" });
    expect((await call()).replayed).toBe(true);
    expect(remote.count("POST /")).toBe(1);

    const bad = await expectCode(
      client.invoke({
        integration: "ntfy",
        service: "",
        operation: "publish",
        parametersJson: JSON.stringify({ topic: "has space", message: "x" }),
        idempotencyKey: "",
        timeoutMs: 0,
      }),
      "invalid_argument",
    );
    expect(bad.details.field).toBe("parameters.topic");

    remote.on(
      "POST /",
      json(429, { error: "limit" }, { "retry-after": "0" }),
      json(403, { error: "denied" }),
    );
    const denied = await expectCode(
      client.invoke({
        integration: "ntfy",
        service: "",
        operation: "publish",
        parametersJson: JSON.stringify({ topic: "t", message: "y" }),
        idempotencyKey: "",
        timeoutMs: 0,
      }),
      "permission_denied",
    );
    expect(denied.details).toMatchObject({ integration: "ntfy", reason: "permission_denied" });
  });

  it("counts calls by integration, operation and outcome, and reports each state", async () => {
    await expectCode(
      client.invoke({
        integration: "echo",
        service: "",
        operation: "no_such_operation",
        parametersJson: "{}",
        idempotencyKey: "",
        timeoutMs: 0,
      }),
      "invalid_argument",
    );
    const { text } = await client.getMetrics({});
    // From the calls of the tests above: one publish acted, one was replayed, one was refused.
    expect(text).toContain(
      'mcp_integration_calls_total{integration="ntfy",operation="publish",outcome="ok"} 2',
    );
    expect(text).toContain(
      'mcp_integration_calls_total{integration="ntfy",operation="publish",outcome="permission_denied"} 1',
    );
    expect(text).toContain(
      'mcp_integration_calls_total{integration="ntfy",operation="publish",outcome="invalid_argument"} 1',
    );
    // An unknown operation does not become a label value of its own.
    expect(text).toContain(
      'mcp_integration_calls_total{integration="echo",operation="(unknown)",outcome="invalid_argument"} 1',
    );
    expect(text).toContain('mcp_integration_state{integration="ntfy",state="healthy"} 1');
    expect(text).toContain('mcp_integration_state{integration="ntfy",state="down"} 0');
    expect(text).toMatch(
      /mcp_integration_call_duration_seconds_count\{integration="ntfy",operation="publish"\} 4/,
    );
  });

  it("says which integration is unknown, listing the known ones", async () => {
    const error = await expectCode(
      client.invoke({
        integration: "nope",
        service: "",
        operation: "x",
        parametersJson: "{}",
        idempotencyKey: "",
        timeoutMs: 0,
      }),
      "not_found",
    );
    expect(error.message).toBe(
      'integration "nope" does not exist; known integrations are echo, ntfy',
    );
  });
});

describe("loading users' plugins", () => {
  const start = (plugins: string[]) =>
    startIntegrationService(
      loadConfig({
        flags: { "integration-port": "0" },
        env: {},
        base: { integrations: { plugins } },
      }),
      quietLogger(),
      { plugins: [], inMemoryJournal: true },
    );

  it("refuses a path that cannot be loaded, naming it", async () => {
    const error = await expectCode(start(["examples/plugins/missing.mjs"]), "invalid_argument");
    expect(error.message).toContain("plugin examples/plugins/missing.mjs cannot be loaded");
  });

  it("refuses a module that is not a plugin, saying what is wrong", async () => {
    const error = await expectCode(
      start(["test/integrations/framework/not-a-plugin.mjs"]),
      "invalid_argument",
    );
    expect(error.message).toBe(
      "plugin test/integrations/framework/not-a-plugin.mjs: operation shout must have a JSON Schema object as parameters",
    );
  });
});
