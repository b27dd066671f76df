import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { type Integration, startIntegrationService } from "../../src/integrations/index.js";
import type { RunningComponent } from "../../src/lifecycle/index.js";
import { createLogger } from "../../src/observability/index.js";
import { type OpenApiDocument, ResponseChecker, TestSystem } from "./gateway-harness.js";

/** A plugin written for the test, reporting through the real interface (no outside system is reached). */
const slack: Integration = {
  name: "slack",
  operations: ["send_message"],
  status: async () => ({ state: "not_configured", message: "SLACK_BOT_TOKEN is not set" }),
};

/** The integration list and the system status with a real integration service running. */
describe("gateway with an integration service", () => {
  let integrations: RunningComponent;
  let system: TestSystem;
  let checker: ResponseChecker;

  beforeAll(async () => {
    const quiet = createLogger({
      process: "integration",
      destination: new Writable({ write: (_c, _e, cb) => cb() }),
    });
    integrations = await startIntegrationService(
      loadConfig({ env: {}, flags: { "integration-port": "0" } }),
      quiet,
      {
        integrations: [slack],
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
  });

  const expected = [
    {
      name: "slack",
      state: "not_configured",
      message: "SLACK_BOT_TOKEN is not set",
      operations: ["send_message"],
    },
  ];

  it("lists the integrations and their operations", async () => {
    const res = await system.request("GET", "/api/v1/integrations");
    expect(res.status).toBe(200);
    expect(checker.errors("GET", "/api/v1/integrations", 200, res.json)).toEqual([]);
    expect(res.json).toEqual({ integrations: expected });
  });

  it("includes them in the system status (and still no processes without an orchestrator)", async () => {
    const res = await system.request("GET", "/api/v1/system/status");
    expect(res.status).toBe(200);
    expect(checker.errors("GET", "/api/v1/system/status", 200, res.json)).toEqual([]);
    const status = res.json as { integrations?: unknown; processes?: unknown };
    expect(status.integrations).toEqual(expected);
    expect(status.processes).toBeUndefined();
  });
});
