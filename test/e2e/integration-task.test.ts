import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, ScriptedServer } from "../integrations/framework/scripted-server.js";
import { RestClient } from "./rest-client.js";
import { useGatedScenario } from "./gated-scenario.js";
import { launchSystem, SCENARIO_TIMEOUT_MS } from "./running-system.js";

const CANARY = "canary-e2e-4b8d61f0a2";
const PLUGIN = resolve("examples/plugins/ntfy.mjs");

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/**
 * A task with an integration action, run by the integration agent process through the
 * integration service process, against a local server standing in for the outside system
 * (a user's plugin loaded from its path).
 */
describe("a task with an integration action", () => {
  const scenario = useGatedScenario("mcp-e2e-integration-");
  let remote: ScriptedServer;

  beforeAll(async () => {
    remote = await new ScriptedServer().start();
  });
  afterAll(() => remote.close());

  it(
    "completes with the operation's result, fails clearly when the remote refuses, and never stores or logs the secret",
    async () => {
      const { dir } = scenario;
      const system = await launchSystem(
        dir.path,
        ["--agents", "integration", "--integrations-plugins", PLUGIN],
        { NTFY_URL: remote.url, NTFY_TOKEN: CANARY },
      );
      const rest = new RestClient(system.gatewayUrl);

      remote.on("POST /", (req, res) => {
        const body = JSON.parse(req.body) as { topic: string; message: string };
        json(200, {
          id: "msg-1",
          event: "message",
          topic: body.topic,
          echoed: req.headers.authorization,
        })(req, res);
      });
      const created = await rest.expect<{ id: string }>(201, "POST", "/api/v1/tasks", {
        title: "Tell the team",
        action: {
          kind: "integration",
          integration: "ntfy",
          operation: "publish",
          parameters: { topic: "deploys", message: "v1.2 is live" },
        },
      });
      const done = await rest.waitForTask(created.id, (t) => t.status === "completed", "completed");
      expect(done.agent_id).toBe("integration-1");
      expect(done.result?.output).toEqual({
        integration: "ntfy",
        operation: "publish",
        result: { id: "msg-1", event: "message", topic: "deploys", echoed: "Bearer [redacted]" },
        tries: 1,
        replayed: false,
      });
      expect(remote.count("POST /")).toBe(1);
      expect(JSON.parse(remote.seen.at(-1)?.body ?? "{}")).toMatchObject({
        topic: "deploys",
        message: "v1.2 is live",
        priority: 3,
      });

      remote.on("POST /", json(403, { error: `token ${CANARY} may not publish` }));
      const refused = await rest.expect<{ id: string }>(201, "POST", "/api/v1/tasks", {
        title: "Not allowed",
        action: {
          kind: "integration",
          integration: "ntfy",
          operation: "publish",
          parameters: { topic: "secret", message: "x" },
        },
      });
      const failed = await rest.waitForTask(refused.id, (t) => t.status === "failed", "failed");
      expect(failed.attempt).toBe(1);
      expect(failed.result?.error).toMatchObject({ code: "permission_denied", retryable: false });
      expect(failed.result?.error?.message).toContain("ntfy.publish: ntfy: HTTP 403");

      const unknown = await rest.expect<{ id: string }>(201, "POST", "/api/v1/tasks", {
        title: "No such integration",
        action: { kind: "integration", integration: "carrier-pigeon", operation: "send" },
      });
      const lost = await rest.waitForTask(unknown.id, (t) => t.status === "failed", "failed");
      expect(lost.result?.error?.code).toBe("not_found");
      expect(lost.result?.error?.message).toMatch(/known integrations are slack, .*, ntfy$/);

      const tasks = await rest.request("GET", `/api/v1/tasks/${refused.id}`);
      expect(JSON.stringify(tasks.json)).not.toContain(CANARY);
      const system2 = await rest.request("GET", "/api/v1/integrations");
      expect(JSON.stringify(system2.json)).not.toContain(CANARY);

      system.cli.child.kill("SIGTERM");
      await system.cli.exited;
      const files = await filesUnder(dir.path);
      // The store, the integration service's call journal and the system log, at least.
      expect(files.some((f) => f.endsWith("mcp_system.log"))).toBe(true);
      expect(files.some((f) => f.endsWith("integration-calls.sqlite"))).toBe(true);
      for (const file of files) {
        const bytes = await readFile(file);
        expect(bytes.includes(CANARY), `${file} holds the secret`).toBe(false);
      }
    },
    SCENARIO_TIMEOUT_MS,
  );
});
