import { existsSync, readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type AgentOptionOverrides,
  type AgentOptions,
  agentOptionsFromConfig,
  startAgent,
} from "../../src/agent/index.js";
import { type Config, loadConfig } from "../../src/config/index.js";
import { actionToWire } from "../../src/contract/index.js";
import { startCoordinator } from "../../src/coordinator/index.js";
import { AppError, type CommandAction } from "../../src/domain/index.js";
import { AgentState } from "../../src/gen/mcp/v1/agent.js";
import { AgentServiceClient } from "../../src/gen/mcp/v1/agent.js";
import { CoordinatorServiceClient } from "../../src/gen/mcp/v1/coordinator.js";
import { AgentType, type Task, TaskStatus, type TaskSpec } from "../../src/gen/mcp/v1/task.js";
import type { RunningComponent } from "../../src/lifecycle/index.js";
import { createLogger, type Logger } from "../../src/observability/index.js";
import {
  CLIENT_OPTIONS,
  insecure,
  type PromiseClient,
  promiseClient,
} from "../../src/rpc/index.js";
import { eventually, isAlive, silentLogger } from "./run-context.js";

const node = process.execPath;

/** One coordinator (restartable on its port), its data folder, and the agents of a test. */
class Harness {
  dir = "";
  config!: Config;
  coordinator: RunningComponent | null = null;
  client!: PromiseClient<CoordinatorServiceClient>;
  private rawClients: Array<{ close(): void }> = [];
  private agents: RunningComponent[] = [];

  async start(leaseTtlMs = 3_000): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), "agent-runtime-"));
    this.config = loadConfig({
      base: {
        dataDir: join(this.dir, "data"),
        logDir: join(this.dir, "logs"),
        ports: { coordinator: 0 },
        coordinator: { leaseTtlMs, heartbeatIntervalMs: 200, retryBaseDelayMs: 0, maxAttempts: 1 },
      },
      env: {},
      flags: {},
    });
    await this.startCoordinator();
  }

  /** Starts (or restarts) the coordinator; after the first start it keeps the same port. */
  async startCoordinator(): Promise<void> {
    this.coordinator = await startCoordinator(this.config, silentLogger);
    if (this.config.ports.coordinator === 0) {
      this.config.ports.coordinator = this.coordinator.port;
      const raw = new CoordinatorServiceClient(
        `127.0.0.1:${this.coordinator.port}`,
        insecure(),
        CLIENT_OPTIONS,
      );
      this.rawClients.push(raw);
      this.client = promiseClient(raw, 5_000);
    }
  }

  async stopCoordinator(): Promise<void> {
    await this.coordinator?.close();
    this.coordinator = null;
  }

  async agent(
    overrides: AgentOptionOverrides = {},
    logger: Logger = silentLogger,
  ): Promise<{ options: AgentOptions; running: RunningComponent }> {
    const options = agentOptionsFromConfig(this.config, "backend", {
      port: 0,
      shutdownGraceMs: 5_000,
      killGraceMs: 300,
      ...overrides,
    });
    const running = await startAgent(options, logger);
    this.agents.push(running);
    return { options, running };
  }

  agentStatus(port: number) {
    const raw = new AgentServiceClient(`127.0.0.1:${port}`, insecure(), CLIENT_OPTIONS);
    this.rawClients.push(raw);
    return promiseClient(raw, 5_000).getStatus({});
  }

  async createCommand(
    title: string,
    action: Partial<Omit<CommandAction, "kind">> & { argv: string[] },
  ): Promise<Task> {
    const spec: TaskSpec = {
      title,
      description: "",
      type: AgentType.AGENT_TYPE_BACKEND,
      priority: 0,
      dependencies: [],
      requiredCapabilities: [],
      action: actionToWire({ kind: "command", cwd: null, env: {}, timeoutMs: null, ...action }),
      metadataJson: "",
      projectId: "",
      parentTaskId: "",
      maxAttempts: 1,
      ref: "",
    };
    const { tasks } = await this.client.createTasks({ tasks: [spec], idempotencyKey: "" });
    return tasks[0]!;
  }

  async waitForStatus(taskId: string, status: TaskStatus, timeoutMs = 20_000) {
    let last: Awaited<ReturnType<PromiseClient<CoordinatorServiceClient>["getTask"]>> | null = null;
    const reached = await eventually(async () => {
      try {
        last = await this.client.getTask({ id: taskId });
      } catch (error) {
        // Right after a coordinator restart the client's channel may still be reconnecting.
        if (error instanceof AppError && error.code === "unavailable") return false;
        throw error;
      }
      return last.task?.status === status;
    }, timeoutMs);
    if (!reached)
      throw new Error(
        `task ${taskId} did not reach ${TaskStatus[status]}: ${JSON.stringify(last)}`,
      );
    return last!;
  }

  async stop(): Promise<void> {
    for (const agent of this.agents) await agent.close();
    await this.stopCoordinator();
    for (const client of this.rawClients) client.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** A logger whose lines (parsed) are collected in `lines`. */
function capturingLogger(): { logger: Logger; lines: Array<{ level: string; msg: string }> } {
  const lines: Array<{ level: string; msg: string }> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString("utf8").split("\n"))
        if (line.trim() !== "") lines.push(JSON.parse(line) as { level: string; msg: string });
      callback();
    },
  });
  return { logger: createLogger({ process: "agent-test", level: "debug", destination }), lines };
}

/** A node command that writes its pid to `file` and then waits for `goFile` to appear (forever when absent). */
function waitForFile(pidFile: string, goFile: string, print = "done"): string[] {
  const script = [
    "const fs = require('fs');",
    `fs.writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));`,
    `const t = setInterval(() => { if (fs.existsSync(${JSON.stringify(goFile)})) { clearInterval(t); process.stdout.write(${JSON.stringify(print)}); } }, 20);`,
  ].join("\n");
  return [node, "-e", script];
}

describe("agent runtime against a real coordinator", () => {
  let h: Harness;
  beforeEach(async () => {
    h = new Harness();
    await h.start();
  });
  afterEach(async () => {
    await h.stop();
  });

  it("registers, and the coordinator lists it with its address, executors and capabilities", async () => {
    const { options, running } = await h.agent({ id: "backend-reg", extraCapabilities: ["rust"] });
    let listed = false;
    await eventually(async () => {
      const { agents } = await h.client.listAgents({ type: AgentType.AGENT_TYPE_UNSPECIFIED });
      const agent = agents.find((a) => a.id === "backend-reg");
      listed = agent?.state === AgentState.AGENT_STATE_ONLINE;
      if (listed) {
        expect(agent).toMatchObject({
          type: AgentType.AGENT_TYPE_BACKEND,
          address: `127.0.0.1:${running.port}`,
          executors: ["command", "noop"],
          maxConcurrency: options.maxConcurrency,
          pid: process.pid,
          transport: "stream",
        });
        expect(agent?.capabilities).toEqual(options.capabilities);
      }
      return listed;
    });
    expect(listed).toBe(true);
    const status = await h.agentStatus(running.port);
    expect(status).toMatchObject({
      agentId: "backend-reg",
      connected: true,
      draining: false,
      running: [],
    });
  });

  it("runs a command task and the coordinator records its output", async () => {
    await h.agent();
    const task = await h.createCommand("print argv", {
      argv: [
        node,
        "-e",
        "process.stdout.write(JSON.stringify(process.argv.slice(1)))",
        "--",
        "$(id)",
        "a;b",
      ],
    });
    const { task: done, history } = await h.waitForStatus(
      task.id,
      TaskStatus.TASK_STATUS_COMPLETED,
    );
    const output = JSON.parse(done!.result!.outputJson) as { exit_code: number; stdout: string };
    expect(output.exit_code).toBe(0);
    expect(JSON.parse(output.stdout)).toEqual(["$(id)", "a;b"]);
    expect(done?.agentId).toBe("backend-1");
    expect(history.filter((e) => e.to === TaskStatus.TASK_STATUS_COMPLETED)).toHaveLength(1);
  });

  it("reports a failing command as failed with the exit code", async () => {
    await h.agent();
    const task = await h.createCommand("exit 7", { argv: [node, "-e", "process.exit(7)"] });
    const { task: failed } = await h.waitForStatus(task.id, TaskStatus.TASK_STATUS_FAILED);
    expect(failed?.result?.error).toMatchObject({
      code: "internal",
      message: "command exited with code 7",
    });
  });

  it("cancelling a running task kills its process", async () => {
    const { running } = await h.agent();
    const pidFile = join(h.dir, "cancel.pid");
    const task = await h.createCommand("runs until cancelled", {
      argv: waitForFile(pidFile, join(h.dir, "never")),
    });
    expect(await eventually(() => existsSync(pidFile))).toBe(true);
    const pid = Number(readFileSync(pidFile, "utf8"));
    await h.client.cancelTask({ id: task.id, reason: "test cancels it" });
    expect(await eventually(async () => !(await isAlive(pid)))).toBe(true);
    expect(
      await eventually(async () => (await h.agentStatus(running.port)).running.length === 0),
    ).toBe(true);
    const { task: cancelled } = await h.client.getTask({ id: task.id });
    expect(cancelled?.status).toBe(TaskStatus.TASK_STATUS_CANCELLED);
  });

  it("keeps running through a coordinator restart and its result, finished while disconnected, is recorded once", async () => {
    const { logger, lines } = capturingLogger();
    const { running } = await h.agent({}, logger);
    const pidFile = join(h.dir, "restart.pid");
    const goFile = join(h.dir, "restart.go");
    const task = await h.createCommand("outlives the coordinator", {
      argv: waitForFile(pidFile, goFile, "survived"),
    });
    expect(await eventually(() => existsSync(pidFile))).toBe(true);
    await h.waitForStatus(task.id, TaskStatus.TASK_STATUS_IN_PROGRESS);

    await h.stopCoordinator();
    expect(await eventually(async () => !(await h.agentStatus(running.port)).connected)).toBe(true);
    // The task ends while the coordinator is down: its result can only arrive by being re-sent.
    await writeFile(goFile, "");
    expect(
      await eventually(async () => (await h.agentStatus(running.port)).completedCount === 1),
    ).toBe(true);

    // Let several reconnect attempts fail, to see that they do not each log a warning.
    expect(
      await eventually(
        () => lines.filter((l) => l.msg === "coordinator still unreachable").length >= 2,
      ),
    ).toBe(true);

    await h.startCoordinator();
    const { task: done, history } = await h.waitForStatus(
      task.id,
      TaskStatus.TASK_STATUS_COMPLETED,
    );
    expect((JSON.parse(done!.result!.outputJson) as { stdout: string }).stdout).toBe("survived");
    expect(history.filter((e) => e.to === TaskStatus.TASK_STATUS_COMPLETED)).toHaveLength(1);
    expect(done?.attempt).toBe(1);
    expect((await h.agentStatus(running.port)).connected).toBe(true);
    // One line per change of connection state, however many attempts failed in between.
    const linkLines = lines
      .filter((l) => /coordinator/.test(l.msg) && l.level !== "debug")
      .map((l) => `${l.level}: ${l.msg}`);
    expect(linkLines).toEqual([
      "info: connected to coordinator",
      "warn: lost connection to coordinator; reconnecting",
      "info: connected to coordinator",
    ]);
  });

  it("a graceful stop hands back what does not finish within the grace and kills it", async () => {
    const { running } = await h.agent({ shutdownGraceMs: 200 });
    const pidFile = join(h.dir, "handback.pid");
    const task = await h.createCommand("outlasts the grace", {
      argv: waitForFile(pidFile, join(h.dir, "never")),
    });
    expect(await eventually(() => existsSync(pidFile))).toBe(true);
    const pid = Number(readFileSync(pidFile, "utf8"));
    await h.waitForStatus(task.id, TaskStatus.TASK_STATUS_IN_PROGRESS);
    await running.close();
    expect(await eventually(async () => !(await isAlive(pid)))).toBe(true);
    const { task: back, history } = await h.waitForStatus(task.id, TaskStatus.TASK_STATUS_PENDING);
    expect(back?.failedAttempts).toBe(0);
    expect(history.some((e) => e.reason.includes("agent shutting down"))).toBe(true);
  });

  it("heartbeats keep the lease of a task that runs longer than the lease", async () => {
    await h.stop();
    h = new Harness();
    await h.start(500);
    await h.agent();
    const task = await h.createCommand("outlasts its lease", {
      argv: [node, "-e", "setTimeout(() => process.stdout.write('kept'), 2000)"],
    });
    const { task: done } = await h.waitForStatus(task.id, TaskStatus.TASK_STATUS_COMPLETED);
    expect(done).toMatchObject({ attempt: 1, failedAttempts: 0 });
    expect((JSON.parse(done!.result!.outputJson) as { stdout: string }).stdout).toBe("kept");
  });
});
