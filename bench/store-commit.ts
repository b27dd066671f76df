/**
 * Group-commit throughput of the SQLite store. Each task lives as it does in the coordinator:
 * inserted pending, then assigned, then completed, each step a whole-record upsert with one
 * history event, and each step of a batch of tasks committed together (3 commits per batch).
 *
 *   node dist/bench/store-commit.js [--seconds 3] [--preload 0] [--dir <folder>]
 *
 * --preload fills the tasks table first (completed tasks with history), as a store that has
 * been running for a while would be; --dir puts the database on a given disk (default: the
 * system temp folder).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { TaskEventRecord, TaskRecord } from "../src/domain/index.js";
import { emptyWriteSet, SqliteStore, type SqliteSynchronous } from "../src/store/index.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "3" },
    preload: { type: "string", default: "0" },
    dir: { type: "string", default: tmpdir() },
  },
});
const seconds = Number(values.seconds);
const preload = Number(values.preload);

function newTask(seq: number, now: number): TaskRecord {
  return {
    id: `task_${seq.toString().padStart(12, "0")}`,
    seq,
    title: `Build endpoint ${seq}`,
    description: "Implement the handler, its validation and its tests.",
    type: "backend",
    priority: "medium",
    status: "pending",
    dependencies: [],
    requiredCapabilities: ["api_design", "nodejs"],
    action: {
      kind: "command",
      argv: ["npm", "test", "--", `--shard=${seq % 8}`],
      cwd: null,
      env: { CI: "1" },
      timeoutMs: 60_000,
    },
    metadata: { source: "bench", batch: Math.floor(seq / 100) },
    projectId: `proj_${seq % 10}`,
    parentId: null,
    attempt: 0,
    maxAttempts: 3,
    failedAttempts: 0,
    agentId: null,
    leaseToken: null,
    statusReason: "ready",
    result: null,
    progress: null,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    finishedAt: null,
    notBefore: null,
    leaseExpiresAt: null,
  };
}

function assigned(task: TaskRecord, now: number): TaskRecord {
  return {
    ...task,
    status: "assigned",
    attempt: 1,
    agentId: "backend-1",
    leaseToken: `lease-${task.seq}`,
    statusReason: "assigned to backend-1",
    updatedAt: now,
    startedAt: now,
    leaseExpiresAt: now + 30_000,
  };
}

function completed(task: TaskRecord, now: number): TaskRecord {
  return {
    ...task,
    status: "completed",
    leaseToken: null,
    statusReason: "completed by backend-1",
    result: { output: { exitCode: 0, stdout: "ok" }, error: null },
    progress: { percent: 100, message: "done", updatedAt: now },
    updatedAt: now,
    finishedAt: now,
    leaseExpiresAt: null,
  };
}

function event(task: TaskRecord, from: TaskRecord["status"] | null, now: number): TaskEventRecord {
  return {
    taskId: task.id,
    at: now,
    from,
    to: task.status,
    actor: from === null ? "client" : "coordinator",
    reason: task.statusReason,
    attempt: task.attempt,
    details:
      task.status === "assigned"
        ? { agent: "backend-1", score: 0.93, why: "capability match, least loaded" }
        : null,
  };
}

/** Commits one batch through its three steps; returns the latency of each commit in ms. */
async function lifeOfBatch(store: SqliteStore, firstSeq: number, size: number): Promise<number[]> {
  const now = Date.now();
  const created = Array.from({ length: size }, (_, i) => newTask(firstSeq + i, now));
  const taken = created.map((t) => assigned(t, now + 1));
  const done = taken.map((t) => completed(t, now + 2));
  const steps = [
    { tasks: created, events: created.map((t) => event(t, null, now)) },
    { tasks: taken, events: taken.map((t) => event(t, "pending", now + 1)) },
    { tasks: done, events: done.map((t) => event(t, "assigned", now + 2)) },
  ];
  const latencies: number[] = [];
  for (const step of steps) {
    const start = performance.now();
    await store.commit({ ...emptyWriteSet(), ...step });
    latencies.push(performance.now() - start);
  }
  return latencies;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function run(synchronous: SqliteSynchronous, batch: number): Promise<void> {
  const dir = await mkdtemp(join(values.dir, "store-bench-"));
  const store = await SqliteStore.open({ path: join(dir, "bench.db"), synchronous });
  try {
    let seq = 1;
    for (; seq <= preload; seq += 1_000)
      await lifeOfBatch(store, seq, Math.min(1_000, preload - seq + 1));
    seq = preload + 1;
    const latencies: number[] = [];
    let tasks = 0;
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    while (performance.now() - start < seconds * 1_000) {
      latencies.push(...(await lifeOfBatch(store, seq, batch)));
      seq += batch;
      tasks += batch;
    }
    const elapsed = (performance.now() - start) / 1_000;
    const cpu = process.cpuUsage(cpuStart);
    latencies.sort((a, b) => a - b);
    console.log(
      [
        synchronous.padEnd(6),
        String(batch).padStart(5),
        String(Math.round(tasks / elapsed)).padStart(9),
        String(Math.round(latencies.length / elapsed)).padStart(9),
        percentile(latencies, 50).toFixed(3).padStart(8),
        percentile(latencies, 99).toFixed(3).padStart(8),
        String(tasks).padStart(8),
        ((cpu.user + cpu.system) / tasks).toFixed(1).padStart(9),
      ].join("  "),
    );
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

console.log(
  `SQLite store commit: each task inserted, assigned, completed (3 commits per batch, 1 event per task per commit)`,
);
console.log(`${seconds} s per row, ${preload} tasks preloaded, database under ${values.dir}`);
// CPU per task (this process, records included) varies less than throughput on a busy machine.
console.log("sync    batch    tasks/s  commits/s  p50 ms   p99 ms     tasks  cpu us/task");
for (const synchronous of ["normal", "full"] as const) {
  for (const batch of [1, 10, 100]) await run(synchronous, batch);
}
