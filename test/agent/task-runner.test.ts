import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExecutorRegistry } from "../../src/agent/index.js";
import { type RunReporter, TaskRunner } from "../../src/agent/task-runner.js";
import { actionToWire } from "../../src/contract/index.js";
import type { TaskAction, TaskResult } from "../../src/domain/index.js";
import type { Assignment } from "../../src/gen/mcp/v1/agent.js";
import type { Task } from "../../src/gen/mcp/v1/task.js";
import { eventually, silentLogger } from "./run-context.js";

type Event = [kind: keyof RunReporter, taskId: string, attempt: number, detail?: unknown];

function recorder() {
  const events: Event[] = [];
  const reporter: RunReporter = {
    started: (id, attempt) => events.push(["started", id, attempt]),
    progress: (id, attempt, percent) => events.push(["progress", id, attempt, percent]),
    finished: (id, attempt, result: TaskResult) => events.push(["finished", id, attempt, result]),
    handBack: (id, attempt, reason) => events.push(["handBack", id, attempt, reason]),
  };
  return { events, reporter };
}

function assignment(id: string, action: TaskAction | null, attempt = 1): Assignment {
  const task: Task = {
    id,
    title: id,
    description: "",
    type: 0,
    priority: 0,
    status: 2,
    dependencies: [],
    requiredCapabilities: [],
    action: actionToWire(action),
    metadataJson: "{}",
    parentTaskId: "",
    projectId: "",
    attempt,
    maxAttempts: 3,
    failedAttempts: 0,
    agentId: "a",
    statusReason: "",
    result: undefined,
    progress: undefined,
    createdAtMs: 0,
    updatedAtMs: 0,
    startedAtMs: 0,
    finishedAtMs: 0,
    notBeforeMs: 0,
    leaseExpiresAtMs: 0,
    waitingFor: "",
  };
  return { task, attempt, leaseExpiresAtMs: 0 };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "agent-runner-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A command that writes `file` and then waits until aborted. */
const waitForever = (file: string): TaskAction => ({
  kind: "command",
  argv: [
    process.execPath,
    "-e",
    `require("fs").writeFileSync(${JSON.stringify(file)}, ""); setInterval(() => {}, 1000)`,
  ],
  cwd: null,
  env: {},
  timeoutMs: null,
});

function runner(maxConcurrency: number) {
  const { events, reporter } = recorder();
  const registry = createExecutorRegistry(["command", "noop"], {
    commandTimeoutMs: 30_000,
    outputLimitBytes: 1024,
    killGraceMs: 200,
  });
  return {
    events,
    runner: new TaskRunner({ registry, maxConcurrency, reporter, logger: silentLogger }),
  };
}

describe("task runner", () => {
  it("reports start then finish, and counts completions", async () => {
    const { events, runner: r } = runner(2);
    r.assign(assignment("n1", { kind: "noop" }), false);
    expect(await r.waitIdle(5_000)).toBe(true);
    expect(events.map((e) => e[0])).toEqual(["started", "finished"]);
    expect(r.completedCount).toBe(1);
  });

  it("refuses free-form work with a non-retryable error that says so, taking no slot", async () => {
    const { events, runner: r } = runner(1);
    r.assign(assignment("free", null, 3), false);
    const finished = events.find((e) => e[0] === "finished");
    expect(finished?.[2]).toBe(3);
    expect((finished?.[3] as TaskResult).error).toMatchObject({
      code: "unimplemented",
      retryable: false,
    });
    expect((finished?.[3] as TaskResult).error?.message).toContain("free-form");
    r.assign(assignment("n", { kind: "noop" }), false);
    expect(events.some((e) => e[0] === "started" && e[1] === "n")).toBe(true);
  });

  it("hands back what arrives beyond maxConcurrency, and everything while draining", async () => {
    const { events, runner: r } = runner(1);
    const ready = join(dir, "cap.ready");
    r.assign(assignment("long", waitForever(ready)), false);
    r.assign(assignment("extra", { kind: "noop" }), false);
    r.assign(assignment("late", { kind: "noop" }), true);
    expect(events.filter((e) => e[0] === "handBack").map((e) => e[1])).toEqual(["extra", "late"]);
    expect(r.held()).toEqual([{ taskId: "long", attempt: 1 }]);
    expect(await eventually(() => existsSync(ready))).toBe(true);
    r.cancel("long", 1, "test");
    expect(await r.waitIdle(5_000)).toBe(true);
  });

  it("a cancelled run is aborted and never reported; a duplicate assignment is ignored", async () => {
    const { events, runner: r } = runner(2);
    const ready = join(dir, "cancel.ready");
    r.assign(assignment("c", waitForever(ready)), false);
    r.assign(assignment("c", waitForever(ready)), false);
    expect(r.held()).toHaveLength(1);
    expect(await eventually(() => existsSync(ready))).toBe(true);
    r.cancel("c", 1, "cancelled by a client");
    expect(r.held()).toEqual([]);
    await r.handBackAll("unused", 5_000);
    expect(events.map((e) => e[0])).toEqual(["started"]);
    expect(r.views()).toEqual([]);
  });

  it("abandons what the coordinator no longer assigns to it", async () => {
    const { events, runner: r } = runner(2);
    const ready = join(dir, "abandon.ready");
    r.assign(assignment("x", waitForever(ready), 2), false);
    r.abandon([{ taskId: "x", attempt: 1 }]);
    expect(r.held()).toHaveLength(1);
    r.abandon([{ taskId: "x", attempt: 2 }]);
    expect(r.held()).toEqual([]);
    await r.handBackAll("unused", 5_000);
    expect(events.filter((e) => e[0] !== "started")).toEqual([]);
  });

  it("hands back and kills running tasks when stopping", async () => {
    const { events, runner: r } = runner(2);
    const ready = join(dir, "stop.ready");
    r.assign(assignment("s", waitForever(ready)), false);
    expect(await eventually(() => existsSync(ready))).toBe(true);
    expect(await r.waitIdle(50)).toBe(false);
    await r.handBackAll("agent shutting down", 5_000);
    expect(events.filter((e) => e[0] !== "started")).toEqual([
      ["handBack", "s", 1, "agent shutting down"],
    ]);
    expect(r.views()).toEqual([]);
  });
});
