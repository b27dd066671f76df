import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alive, CliProcess, eventually, runCli, tempDir } from "../cli/cli-process.js";
import {
  groupAlive,
  startSystem,
  status,
  type StatusEntry,
  systemFlags,
  systemLog,
} from "./system-under-test.js";

const EXPECTED = ["orchestrator", "coordinator", "integration", "agent-backend", "gateway"];

describe("orchestrator running a system", () => {
  let dir: { path: string; remove: () => Promise<void> };
  let system: CliProcess;
  const seenPids = new Set<number>();

  const healthyStatus = () =>
    eventually(async () => {
      const processes = await status(dir.path);
      for (const p of processes) if (p.pid) seenPids.add(p.pid);
      return processes.every((p) => p.state === "healthy") ? processes : undefined;
    }, "every process healthy");

  beforeAll(async () => {
    dir = await tempDir("mcp-orch-");
    system = startSystem(dir.path, ["--agents", "backend"]);
    await system.waitForOutput(/system ready/, 90_000);
  }, 120_000);

  afterAll(async () => {
    await CliProcess.killAll();
    await dir.remove();
  });

  it("announces the gateway URL and every port, and writes its state file", async () => {
    const ready = JSON.parse(await system.waitForOutput(/system ready/)) as {
      gatewayUrl: string;
      ports: Record<string, number>;
    };
    expect(ready.gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(ready.ports).sort()).toEqual(
      EXPECTED.filter((n) => n !== "orchestrator").sort(),
    );
    expect(Object.values(ready.ports).every((p) => p > 0)).toBe(true);
    expect(existsSync(join(dir.path, "data", "orchestrator.json"))).toBe(true);
    const health = await fetch(`${ready.gatewayUrl}/health`);
    expect(health.status).toBe(200);
  });

  it("status shows every process healthy with its pid and real port", async () => {
    const processes = await healthyStatus();
    expect(processes.map((p) => p.name)).toEqual(EXPECTED);
    for (const p of processes) {
      expect(p.pid, p.name).toBeGreaterThan(0);
      expect(p.port, p.name).toBeGreaterThan(0);
      expect(p.restarts, p.name).toBe(0);
      expect(alive(p.pid), p.name).toBe(true);
    }
    expect(processes[0]?.pid).toBe(system.pid);
    // CPU and memory are sampled every ~2 s.
    await eventually(
      async () => ((await status(dir.path)).every((p) => p.rssBytes > 0) ? true : undefined),
      "RSS sampled",
    );
  });

  it("status prints an aligned table", async () => {
    const result = await runCli(["status", "--data-dir", join(dir.path, "data")]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    const header = lines.find((l) => l.startsWith("NAME"));
    expect(header).toMatch(/^NAME +PID +PORT +STATE +UPTIME +RESTARTS +CPU% +RSS +NOTE$/);
    const rows = lines.slice(lines.indexOf(header as string) + 1);
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(EXPECTED);
    // Right-aligned PID column: every row's PID ends where the header's does.
    const pidEnd = (header as string).indexOf("PID") + 3;
    for (const row of rows) expect(row.slice(0, pidEnd)).toMatch(/\d$/);
  });

  it("restarts a child killed with SIGKILL: new pid, same port, restarts=1", async () => {
    const before = (await healthyStatus()).find((p) => p.name === "integration") as StatusEntry;
    process.kill(before.pid, "SIGKILL");
    const after = await eventually(async () => {
      const entry = (await status(dir.path)).find((p) => p.name === "integration");
      return entry && entry.state === "healthy" && entry.pid !== before.pid ? entry : undefined;
    }, "integration restarted");
    seenPids.add(after.pid);
    expect(after.restarts).toBe(1);
    expect(after.port).toBe(before.port);
    expect(after.lastExit).toBe("signal SIGKILL");
    expect(alive(before.pid)).toBe(false);
    const others = (await status(dir.path)).filter((p) => p.name !== "integration");
    expect(others.every((p) => p.restarts === 0 && p.state === "healthy")).toBe(true);
  });

  it("reports a child that stops answering health checks as down, and healthy again when it answers", async () => {
    const agent = (await healthyStatus()).find((p) => p.name === "agent-backend") as StatusEntry;
    process.kill(agent.pid, "SIGSTOP");
    try {
      const down = await eventually(async () => {
        const entry = (await status(dir.path)).find((p) => p.name === "agent-backend");
        return entry?.state === "down" ? entry : undefined;
      }, "agent-backend down");
      expect(down.pid).toBe(agent.pid);
      expect(down.message).toMatch(/failed \d+ health checks in a row/);
    } finally {
      process.kill(agent.pid, "SIGCONT");
    }
    const back = await eventually(async () => {
      const entry = (await status(dir.path)).find((p) => p.name === "agent-backend");
      return entry?.state === "healthy" ? entry : undefined;
    }, "agent-backend healthy again");
    expect(back.pid).toBe(agent.pid);
    expect(back.restarts).toBe(0);
  });

  it("refuses a second orchestrator on the same data folder", async () => {
    const second = await runCli(["start", ...systemFlags(dir.path)]);
    expect(second.code).toBe(1);
    expect(second.stdout).toMatch(
      new RegExp(`another orchestrator \\(pid ${system.pid}\\) is running`),
    );
    expect((await status(dir.path))[0]?.pid).toBe(system.pid);
  });

  it("files every process's records, tagged with its name, in the system log", async () => {
    const records = await eventually(async () => {
      const all = await systemLog(dir.path);
      const names = new Set(all.map((r) => r.name));
      return EXPECTED.every((n) => names.has(n)) ? all : undefined;
    }, "a record of every process");
    expect(
      records.every(
        (r) =>
          typeof r.level === "string" && typeof r.time === "string" && typeof r.msg === "string",
      ),
    ).toBe(true);
    expect(
      records.some((r) => r.name === "orchestrator" && String(r.msg).startsWith("system ready")),
    ).toBe(true);
    // The orchestrator's lines about a child carry its own pid, and the child's as childPid.
    const aboutChildren = records.filter(
      (r) => r.name === "orchestrator" && typeof r.child === "string",
    );
    expect(aboutChildren.length).toBeGreaterThan(0);
    expect(aboutChildren.every((r) => r.pid === system.pid)).toBe(true);
    expect(
      records.some(
        (r) =>
          r.name === "orchestrator" &&
          r.level === "warn" &&
          String(r.msg).includes("signal SIGKILL"),
      ),
    ).toBe(true);
  });

  it("stops everything on SIGTERM: gateway first, coordinator last, exit 0, no process left", async () => {
    for (const p of await status(dir.path)) if (p.pid) seenPids.add(p.pid);
    system.child.kill("SIGTERM");
    expect(await system.exited).toEqual({ code: 0, signal: null });
    await eventually(
      async () => (groupAlive(system.pid) ? undefined : true),
      "the process group to be empty",
      10_000,
    );
    for (const pid of seenPids) expect(alive(pid), `pid ${pid}`).toBe(false);
    expect(existsSync(join(dir.path, "data", "orchestrator.json"))).toBe(false);

    const stops = (await systemLog(dir.path))
      .filter(
        (r) =>
          r.name === "orchestrator" &&
          typeof r.child === "string" &&
          String(r.msg).endsWith(" stopped"),
      )
      .map((r) => r.child);
    expect(stops).toEqual(["gateway", "agent-backend", "integration", "coordinator"]);
    // What each child printed while exiting made it to the file before the orchestrator closed it.
    const records = await systemLog(dir.path);
    for (const name of ["gateway", "agent-backend", "integration", "coordinator"]) {
      expect(
        records.some((r) => r.name === name && String(r.msg).endsWith("closed; exiting")),
        name,
      ).toBe(true);
    }
    const after = await runCli(["status", "--data-dir", join(dir.path, "data")]);
    expect(after.code).toBe(1);
  });
});
