import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { AppError } from "../../src/domain/index.js";
import { IntegrationServiceClient } from "../../src/gen/mcp/v1/integration.js";
import {
  createIntegrationRegistry,
  type Integration,
  startIntegrationService,
} from "../../src/integrations/index.js";
import type { RunningComponent } from "../../src/lifecycle/index.js";
import { createLogger } from "../../src/observability/index.js";
import { checkGrpcHealth, CLIENT_OPTIONS, insecure, promiseClient } from "../../src/rpc/index.js";
import { Writable } from "node:stream";

const quietLogger = () =>
  createLogger({
    process: "integration",
    destination: new Writable({ write: (_c, _e, cb) => cb() }),
  });

/** A plugin written for the test: it reports what it is told to, through the real interface. */
function plugin(
  name: string,
  status: Integration["status"],
  operations: string[] = ["op"],
): Integration {
  return { name, operations, status };
}

let running: RunningComponent | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe("integration service", () => {
  it("serves an empty list and health on the port it bound", async () => {
    const config = loadConfig({ flags: { "integration-port": "0" }, env: {} });
    running = await startIntegrationService(config, quietLogger());
    const address = `127.0.0.1:${running.port}`;
    expect(await checkGrpcHealth(address)).toBe(true);
    const client = new IntegrationServiceClient(address, insecure(), CLIENT_OPTIONS);
    try {
      expect(await promiseClient(client, 5_000).listIntegrations({})).toEqual({ integrations: [] });
    } finally {
      client.close();
    }
  });

  it("lists plugged-in integrations with their state, a failing status check as down", async () => {
    const config = loadConfig({ flags: { "integration-port": "0" }, env: {} });
    const integrations = [
      plugin("slack", async () => ({ state: "not_configured", message: "no token" }), [
        "send_message",
      ]),
      plugin("github", async () => {
        throw new Error("network unreachable");
      }),
    ];
    running = await startIntegrationService(config, quietLogger(), { integrations });
    const client = new IntegrationServiceClient(
      `127.0.0.1:${running.port}`,
      insecure(),
      CLIENT_OPTIONS,
    );
    try {
      const { integrations: listed } = await promiseClient(client, 5_000).listIntegrations({});
      expect(listed).toEqual([
        {
          name: "slack",
          state: "not_configured",
          message: "no token",
          operations: ["send_message"],
        },
        {
          name: "github",
          state: "down",
          message: "status check failed: network unreachable",
          operations: ["op"],
        },
      ]);
    } finally {
      client.close();
    }
  });
});

describe("createIntegrationRegistry", () => {
  const ok: Integration["status"] = async () => ({ state: "healthy", message: "" });

  it("refuses two integrations with one name, and bad names", () => {
    expect(() => createIntegrationRegistry([plugin("slack", ok), plugin("slack", ok)])).toThrow(
      /registered twice/,
    );
    expect(() => createIntegrationRegistry([plugin("Slack!", ok)])).toThrow(AppError);
  });

  it("finds an integration by name, and says not_found otherwise", () => {
    const registry = createIntegrationRegistry([plugin("jenkins", ok)]);
    expect(registry.get("jenkins").name).toBe("jenkins");
    expect(() => registry.get("aws")).toThrow(/"aws" does not exist/);
  });
});
