import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CoordinatorServiceClient } from "../../src/gen/mcp/v1/coordinator.js";
import { CLIENT_OPTIONS, checkGrpcHealth, insecure, promiseClient } from "../../src/rpc/index.js";
import { CliProcess, eventually, runCli, tempDir } from "./cli-process.js";

afterEach(() => CliProcess.killAll());

describe("mcp-dist run coordinator / run agent", () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeAll(async () => {
    dir = await tempDir("mcp-cli-run-");
  });
  afterAll(() => dir.remove());

  it("runs an agent alone, pointed at a coordinator run alone, with its own id, capabilities and concurrency", async () => {
    const coordinator = new CliProcess([
      "run",
      "coordinator",
      "--coordinator-port",
      "0",
      "--data-dir",
      join(dir.path, "data"),
    ]);
    const port = (
      JSON.parse(await coordinator.waitForOutput(/"msg":"coordinator ready on port \d+"/)) as {
        port: number;
      }
    ).port;
    const address = `127.0.0.1:${port}`;

    const agent = new CliProcess([
      "run",
      "agent",
      "--type",
      "qa",
      "--id",
      "qa-remote",
      "--port",
      "0",
      "--concurrency",
      "2",
      "--capabilities",
      "testing,fuzzing",
      "--coordinator",
      address,
    ]);
    const ready = JSON.parse(await agent.waitForOutput(/"msg":"agent-qa ready on port \d+"/)) as {
      name: string;
      port: number;
    };
    expect(ready.name).toBe("agent-qa");
    expect(await checkGrpcHealth(`127.0.0.1:${ready.port}`)).toBe(true);

    const client = new CoordinatorServiceClient(address, insecure(), CLIENT_OPTIONS);
    try {
      const registered = await eventually(async () => {
        const { agents } = await promiseClient(client, 5_000).listAgents({ type: 0 });
        return agents.find((a) => a.id === "qa-remote");
      }, "the agent registered with the coordinator");
      expect(registered.maxConcurrency).toBe(2);
      expect([...registered.capabilities].sort()).toEqual(["fuzzing", "testing"]);
    } finally {
      client.close();
    }

    agent.child.kill("SIGTERM");
    expect(await agent.exited).toEqual({ code: 0, signal: null });
    coordinator.child.kill("SIGTERM");
    expect(await coordinator.exited).toEqual({ code: 0, signal: null });
  });

  it("exits 1 with the reason when the coordinator cannot open its data folder", async () => {
    const file = join(dir.path, "not-a-folder");
    await writeFile(file, "");
    const result = await runCli([
      "run",
      "coordinator",
      "--coordinator-port",
      "0",
      "--data-dir",
      file,
    ]);
    expect(result.code).toBe(1);
    const fatal = result.stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { level: string; name: string; msg: string })
      .find((r) => r.level === "fatal");
    expect(fatal?.name).toBe("coordinator");
    expect(fatal?.msg).toMatch(/^coordinator failed to start: /);
  });
});
