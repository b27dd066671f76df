import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CliProcess, eventually, tempDir } from "../cli/cli-process.js";
import { groupAlive, startSystem, systemLog } from "./system-under-test.js";

let dir: { path: string; remove: () => Promise<void> } | undefined;
afterEach(async () => {
  await CliProcess.killAll();
  await dir?.remove();
  dir = undefined;
});

describe("orchestrator signals", () => {
  it("stops a system that is still starting, and a second signal forces the stop (exit 1, nothing left)", async () => {
    dir = await tempDir("mcp-orch-signals-");
    const system = startSystem(dir.path, ["--agents", "backend", "--orchestrator-stop-timeout-ms", "60000"]);
    // Mid-start: the coordinator is up, the rest is on its way.
    const healthy = JSON.parse(await system.waitForOutput(/"msg":"coordinator is healthy"/, 60_000)) as { childPid: number };
    // A frozen coordinator cannot act on SIGTERM, so the graceful stop waits on it (up to
    // --orchestrator-stop-timeout-ms) until the second signal forces it.
    process.kill(healthy.childPid, "SIGSTOP");
    system.child.kill("SIGTERM");
    await system.waitForOutput(/stopping the system gracefully/, 10_000);
    system.child.kill("SIGTERM");
    expect(await system.exited).toEqual({ code: 1, signal: null });
    await eventually(async () => (groupAlive(system.pid) ? undefined : true), "the process group to be empty", 10_000);
    expect(system.stdout).not.toMatch(/system ready/);
    expect(existsSync(join(dir.path, "data", "orchestrator.json"))).toBe(false);
    const records = await systemLog(dir.path);
    expect(records.some((r) => r.name === "orchestrator" && String(r.msg).includes("forcing the stop"))).toBe(true);
    expect(records.some((r) => r.name === "orchestrator" && r.child === "coordinator" && r.lastExit === "signal SIGKILL")).toBe(true);
  });
});
