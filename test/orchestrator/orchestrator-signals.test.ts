import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { alive, CliProcess, eventually, runCli, tempDir } from "../cli/cli-process.js";
import { groupAlive, startSystem, status, systemLog } from "./system-under-test.js";

let dir: { path: string; remove: () => Promise<void> } | undefined;
afterEach(async () => {
  await CliProcess.killAll();
  await dir?.remove();
  dir = undefined;
});

describe("orchestrator signals", () => {
  it("stops a system that is still starting, and a second signal forces the stop (exit 1, nothing left)", async () => {
    dir = await tempDir("mcp-orch-signals-");
    const system = startSystem(dir.path, [
      "--agents",
      "backend",
      "--orchestrator-stop-timeout-ms",
      "60000",
    ]);
    // Mid-start: the coordinator is up, the rest is on its way.
    const healthy = JSON.parse(
      await system.waitForOutput(/"msg":"coordinator is healthy"/, 60_000),
    ) as { childPid: number };
    // A frozen coordinator cannot act on SIGTERM, so the graceful stop waits on it (up to
    // --orchestrator-stop-timeout-ms) until the second signal forces it.
    process.kill(healthy.childPid, "SIGSTOP");
    system.child.kill("SIGTERM");
    await system.waitForOutput(/stopping the system gracefully/, 10_000);
    system.child.kill("SIGTERM");
    expect(await system.exited).toEqual({ code: 1, signal: null });
    await eventually(
      async () => (groupAlive(system.pid) ? undefined : true),
      "the process group to be empty",
      10_000,
    );
    expect(system.stdout).not.toMatch(/system ready/);
    expect(existsSync(join(dir.path, "data", "orchestrator.json"))).toBe(false);
    const records = await systemLog(dir.path);
    expect(
      records.some((r) => r.name === "orchestrator" && String(r.msg).includes("forcing the stop")),
    ).toBe(true);
    expect(
      records.some(
        (r) =>
          r.name === "orchestrator" && r.child === "coordinator" && r.lastExit === "signal SIGKILL",
      ),
    ).toBe(true);
  });

  it("leaves no orphans when the orchestrator itself is killed with SIGKILL, and status then says nothing runs", async () => {
    dir = await tempDir("mcp-orch-signals-");
    const system = startSystem(dir.path, ["--agents", "qa"]);
    await system.waitForOutput(/system ready/, 90_000);
    const children = (await status(dir.path))
      .filter((p) => p.name !== "orchestrator")
      .map((p) => p.pid);
    expect(children).toHaveLength(4);
    process.kill(system.pid, "SIGKILL");
    await system.exited;
    // Each child notices its IPC channel close and stops itself.
    await eventually(
      async () => (children.some(alive) ? undefined : true),
      "every child to exit",
      20_000,
    );
    const after = await runCli(["status", "--data-dir", join(dir.path, "data")]);
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/no system is running .*gone/);
    // A new orchestrator starts over the stale state file.
    const again = startSystem(dir.path, ["--agents", ""]);
    await again.waitForOutput(/system ready/, 90_000);
    expect((await status(dir.path))[0]?.pid).toBe(again.pid);
  });
});
