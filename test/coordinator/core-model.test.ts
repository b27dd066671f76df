import fc from "fast-check";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { type CoordinatorSettings } from "../../src/coordinator/coordinator-settings.js";
import { CoordinatorState } from "../../src/coordinator/coordinator-state.js";
import { GroupCommitter } from "../../src/coordinator/group-committer.js";
import { LeaseSweeper } from "../../src/coordinator/lease-sweeper.js";
import { Scheduler } from "../../src/coordinator/scheduler.js";
import { TaskIntake } from "../../src/coordinator/task-intake.js";
import { TaskOutcomes } from "../../src/coordinator/task-outcomes.js";
import { WorkerService } from "../../src/coordinator/worker-service.js";
import {
  canTransition,
  isTerminal,
  LEASED_STATUSES,
  type TaskSpec,
  type TaskStatus,
} from "../../src/domain/index.js";
import { AgentType } from "../../src/gen/mcp/v1/task.js";
import { SqliteStore } from "../../src/store/index.js";
import { tempDir } from "../helpers/temp-dir.js";

/** One random operation on the real coordinator core. Numbers pick among what exists. */
type Op =
  | { kind: "create"; deps: number[]; maxAttempts: number }
  | { kind: "claim"; worker: number }
  | { kind: "complete"; pick: number }
  | { kind: "fail"; pick: number; retryable: boolean }
  | { kind: "handBack"; pick: number }
  | { kind: "expire"; pick: number }
  | { kind: "cancel"; pick: number }
  | { kind: "stale"; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("create" as const),
      deps: fc.array(fc.nat(), { maxLength: 2 }),
      maxAttempts: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("claim" as const), worker: fc.nat(2) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("complete" as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("fail" as const),
      pick: fc.nat(),
      retryable: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("handBack" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("expire" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("stale" as const), pick: fc.nat() }) },
);

const SETTINGS: CoordinatorSettings = {
  leaseTtlMs: 60_000,
  heartbeatIntervalMs: 1_000,
  agentSilenceMs: 600_000,
  workerSilenceMs: 600_000,
  maxAttempts: 3,
  retryBaseDelayMs: 0,
  retryMaxDelayMs: 0,
  idempotencyTtlMs: 60_000,
  sweepIntervalMs: 1_000,
};

function spec(title: string, dependencies: string[], maxAttempts: number): TaskSpec {
  return {
    ref: null,
    title,
    description: "",
    type: "backend",
    priority: "medium",
    dependencies,
    requiredCapabilities: [],
    action: null,
    metadata: {},
    projectId: null,
    parentId: null,
    maxAttempts,
  };
}

async function runScenario(ops: readonly Op[]): Promise<void> {
  const dir = tempDir("mcp-model-");
  const store = await SqliteStore.open({ path: `${dir.path}/model.db`, synchronous: "normal" });
  try {
    const fatal: unknown[] = [];
    const committer = new GroupCommitter(store, (e) => fatal.push(e));
    const state = new CoordinatorState(
      SETTINGS,
      store,
      committer,
      pino({ level: "silent" }),
      (ids) => {
        for (const id of ids) {
          const t = state.tasks.get(id);
          if (t) state.enqueue(t);
        }
      },
    );
    const scheduler = new Scheduler(state);
    committer.beforeCommit(() => scheduler.dispatch());
    const outcomes = new TaskOutcomes(state);
    const intake = new TaskIntake(state);
    const workers = new WorkerService(state, scheduler, outcomes);
    const sweeper = new LeaseSweeper(state, outcomes);
    const workerIds: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const w = await workers.register({
        name: `w${i}`,
        type: AgentType.AGENT_TYPE_BACKEND,
        capabilities: [],
        executors: [],
        maxConcurrency: 2,
        agentId: `w${i}`,
      });
      workerIds.push(w.id);
    }
    const created: string[] = [];
    /** Leases handed out, including ones that have since gone stale. */
    const leases: Array<{ taskId: string; token: string }> = [];
    const leased = () => [...state.tasks.values()].filter((t) => LEASED_STATUSES.has(t.status));
    const pickFrom = <T>(items: readonly T[], n: number): T | undefined =>
      items.length === 0 ? undefined : items[n % items.length];

    for (const o of ops) {
      switch (o.kind) {
        case "create": {
          const deps = [
            ...new Set(
              o.deps.flatMap((n) =>
                created.length > 0 ? [created[n % created.length] as string] : [],
              ),
            ),
          ];
          const [task] = await intake.create(
            [spec(`t${created.length}`, deps, o.maxAttempts)],
            "client",
          );
          created.push(task!.id);
          break;
        }
        case "claim": {
          const task = await workers.claim(workerIds[o.worker] as string, 0).catch(() => null);
          if (task) leases.push({ taskId: task.id, token: task.leaseToken as string });
          break;
        }
        case "complete": {
          const t = pickFrom(leased(), o.pick);
          if (t) await workers.complete(t.id, t.leaseToken as string, { ok: true });
          break;
        }
        case "fail": {
          const t = pickFrom(leased(), o.pick);
          if (t)
            await workers.fail(t.id, t.leaseToken as string, {
              code: "internal",
              message: "boom",
              retryable: o.retryable,
            });
          break;
        }
        case "handBack": {
          const t = pickFrom(leased(), o.pick);
          if (t) outcomes.handBack(t, t.agentId as string, "test");
          break;
        }
        case "expire": {
          const t = pickFrom(leased(), o.pick);
          if (t) {
            t.leaseExpiresAt = 0;
            sweeper.sweep();
          }
          break;
        }
        case "cancel": {
          const t = pickFrom([...state.tasks.values()], o.pick);
          if (t) outcomes.cancel(t, "client", "test");
          break;
        }
        case "stale": {
          const lease = pickFrom(leases, o.pick);
          if (lease) {
            const live = state.tasks.get(lease.taskId);
            const current = live?.leaseToken === lease.token && LEASED_STATUSES.has(live.status);
            const outcome = await workers.complete(lease.taskId, lease.token, null).then(
              () => "accepted",
              () => "refused",
            );
            expect(outcome).toBe(current ? "accepted" : "refused");
          }
          break;
        }
      }
      await committer.durable();
      checkMemory(state);
    }
    expect(fatal).toEqual([]);
    await checkHistories(store, created);
    // The counts kept in memory (metrics, system status) agree with the store.
    const stored = await store.countTasksByStatus();
    for (const [status, count] of state.statusCounts)
      expect(count, status).toBe(stored[status] ?? 0);
    state.delayed.close();
  } finally {
    await store.close();
    dir.remove();
  }
}

/** Leases, queues and the graph agree with every task's status. */
function checkMemory(state: CoordinatorState): void {
  for (const task of state.tasks.values()) {
    expect(isTerminal(task.status)).toBe(false);
    if (LEASED_STATUSES.has(task.status)) {
      expect(task.agentId).not.toBeNull();
      expect(state.agents.get(task.agentId as string)?.leases.get(task.id)).toBe(task.attempt);
    } else {
      for (const agent of state.agents.all()) expect(agent.leases.has(task.id)).toBe(false);
    }
    if (task.status === "pending")
      expect(state.ready.has(task.id) || state.delayed.has(task.id)).toBe(true);
    if (task.status === "blocked") expect(state.graph.has(task.id)).toBe(true);
  }
  for (const agent of state.agents.all()) {
    expect(agent.load).toBeLessThanOrEqual(agent.record.maxConcurrency);
    for (const taskId of agent.leases.keys())
      expect(state.tasks.get(taskId)?.agentId).toBe(agent.id);
  }
}

/** Every stored history is a legal walk of the table, ends where the task is, completes at most once. */
async function checkHistories(store: SqliteStore, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const [task, history] = await Promise.all([store.getTask(id), store.getHistory(id)]);
    expect(task).not.toBeNull();
    let status: TaskStatus | null = null;
    let attempt = 0;
    let completions = 0;
    for (const event of history) {
      expect(event.from).toBe(status);
      if (status !== null) {
        expect(isTerminal(status)).toBe(false);
        if (event.from !== event.to) expect(canTransition(status, event.to)).toBe(true);
      }
      expect(event.attempt).toBeGreaterThanOrEqual(attempt);
      attempt = event.attempt;
      if (event.to === "completed") completions += 1;
      status = event.to;
    }
    expect(status).toBe(task!.status);
    expect(completions).toBeLessThanOrEqual(1);
    if (task!.status === "completed") expect(completions).toBe(1);
  }
}

describe("coordinator core under random operations", () => {
  it("keeps leases, queues, graph and history consistent; completion recorded at most once", async () => {
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 60 }), runScenario), {
      numRuns: 40,
      seed: 7,
    });
  }, 120_000);
});
