import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alive, CliProcess, eventually, tempDir } from "../cli/cli-process.js";
import { groupAlive, startSystem, status, systemLog } from "./system-under-test.js";

describe("orchestrator with a child that crashes at every start", () => {
  let dir: { path: string; remove: () => Promise<void> };
  let blocker: Server;
  let system: CliProcess;

  beforeAll(async () => {
    dir = await tempDir("mcp-orch-giveup-");
    // The integration service is told to listen on a port that is already taken: every start fails.
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const taken = (blocker.address() as { port: number }).port;
    system = startSystem(dir.path, [
      "--agents",
      "",
      "--integration-port",
      String(taken),
      "--orchestrator-max-restarts",
      "2",
      "--orchestrator-restart-initial-delay-ms",
      "100",
      // The integration service loads its plugins before it fails to listen: on a busy
      // machine that may take longer than the usual 2 s after which a run counts as stable.
      "--orchestrator-stable-after-ms",
      "20000",
    ]);
    await system.waitForOutput(/system ready/, 90_000);
  }, 120_000);

  afterAll(async () => {
    await CliProcess.killAll();
    await new Promise((resolve) => blocker.close(resolve));
    await dir.remove();
  });

  it("backs off with a growing delay, then gives up and says why, while the rest keeps running", async () => {
    const processes = await eventually(async () => {
      const all = await status(dir.path);
      return all.find((p) => p.name === "integration")?.state === "given up" ? all : undefined;
    }, "integration given up");
    const integration = processes.find((p) => p.name === "integration");
    expect(integration).toMatchObject({ pid: 0, restarts: 2, lastExit: "exit code 1" });
    // The last exit, with the reason the child itself gave over IPC.
    expect(integration?.message).toMatch(
      /^gave up after 3 crashes within \d+ ms; last exit: exit code 1 \(cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/,
    );
    for (const name of ["orchestrator", "coordinator", "gateway"]) {
      expect(processes.find((p) => p.name === name)?.state, name).toBe("healthy");
    }

    const records = await systemLog(dir.path);
    const delays = records
      .filter(
        (r) =>
          r.name === "orchestrator" && r.child === "integration" && typeof r.delayMs === "number",
      )
      .map((r) => r.delayMs);
    expect(delays).toEqual([100, 200]);
    const gaveUp = records.find(
      (r) =>
        r.name === "orchestrator" &&
        r.level === "error" &&
        String(r.msg).startsWith("integration gave up"),
    );
    expect(gaveUp).toBeDefined();
    const ready = records.find(
      (r) => r.name === "orchestrator" && String(r.msg).startsWith("system ready"),
    );
    expect(ready?.level).toBe("error");
    expect(ready?.givenUp).toEqual(["integration"]);
    // The failing child's own account of why reached the log, tagged with its name.
    expect(records.some((r) => r.name === "integration" && r.level === "fatal")).toBe(true);
  });

  it("stops in order on Ctrl-C (SIGINT to the whole process group) and exits 0", async () => {
    const pids = (await status(dir.path)).map((p) => p.pid).filter((pid) => pid > 0);
    process.kill(-system.pid, "SIGINT");
    expect(await system.exited).toEqual({ code: 0, signal: null });
    await eventually(
      async () => (groupAlive(system.pid) ? undefined : true),
      "the process group to be empty",
      10_000,
    );
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
    const records = await systemLog(dir.path);
    const stopping = records.findIndex(
      (r) => r.name === "orchestrator" && r.msg === "stopping the system",
    );
    expect(stopping).toBeGreaterThan(-1);
    const after = records.slice(stopping);
    // Children left the stopping to the orchestrator: nothing crashed, nothing restarted.
    expect(after.some((r) => typeof r.delayMs === "number")).toBe(false);
    const stops = after
      .filter(
        (r) =>
          r.name === "orchestrator" &&
          typeof r.child === "string" &&
          String(r.msg).endsWith(" stopped"),
      )
      .map((r) => r.child);
    expect(stops).toEqual(["gateway", "coordinator"]);
  });
});
