import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoordinatorServiceClient } from "../../src/gen/mcp/v1/coordinator.js";
import { Priority, TaskStatus, type TaskSpec } from "../../src/gen/mcp/v1/task.js";
import { CLIENT_OPTIONS, insecure, promiseClient } from "../../src/rpc/index.js";
import { epochMs, type PeerResult, summarizeLatencies } from "../lib/index.js";
import { cpuSeconds, launchSystem, peakRssBytes } from "./launch-system.js";

export interface OurDrainOptions {
  tasks: number;
  /** Concurrency of each of the seven agents. */
  concurrency: number;
  /** Tasks per CreateTasks call. */
  batchSize: number;
  /** CreateTasks calls in flight at once. */
  inFlight: number;
  /** Extra `mcp-dist start` flags (e.g. the SQLite synchronous mode). */
  flags?: string[];
}

export interface OurDrainResult extends PeerResult {
  tasks: number;
  submitSeconds: number;
  drainSeconds: number;
  coordinatorPeakRssBytes: number;
  /** Tasks that ended anything but completed, or completed more than once (must be 0). */
  anomalies: number;
  /** Group commits during the measured drain, and records written per commit on average. */
  commits: number;
  recordsPerCommit: number;
  /** Time spent inside group commits during the drain. */
  commitSeconds: number;
  /** CPU used during the drain per task, by the coordinator and by all processes of the system. */
  coordinatorCpuUsPerTask: number;
  systemCpuUsPerTask: number;
}

/** Sum and count of the coordinator's commit-size histogram, from its Prometheus text. */
function commitStats(text: string): { count: number; sum: number; seconds: number } {
  const read = (name: string) =>
    Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? Number.NaN);
  return {
    count: read("mcp_store_commit_records_count"),
    sum: read("mcp_store_commit_records_sum"),
    seconds: read("mcp_store_commit_seconds_sum"),
  };
}

const noopSpec = (i: number): TaskSpec => ({
  title: `noop ${i}`,
  description: "",
  type: 0,
  priority: Priority.PRIORITY_MEDIUM,
  dependencies: [],
  requiredCapabilities: [],
  action: { kind: { $case: "noop", value: {} } },
  metadataJson: "",
  projectId: "",
  maxAttempts: 0,
  ref: "",
});

/**
 * Drains `tasks` no-op tasks through the real processes (coordinator, seven agents) started by
 * the orchestrator, submitting over gRPC in batches. Latencies use the client's submit time
 * and the coordinator's recorded start and finish times (same machine clock).
 */
export async function runOurDrain(options: OurDrainOptions): Promise<OurDrainResult> {
  const dir = mkdtempSync(join(tmpdir(), "mcp-bench-"));
  const system = await launchSystem(dir, options.concurrency, options.flags ?? []);
  const raw = new CoordinatorServiceClient(system.coordinatorAddress, insecure(), {
    ...CLIENT_OPTIONS,
    "grpc.max_receive_message_length": 256 * 1024 * 1024,
  });
  const client = promiseClient(raw, 120_000);
  try {
    await drain(client, 1_000, options);
    const before = commitStats((await client.getMetrics({})).text);
    const coordinatorPid = system.processes.find((p) => p.component === "coordinator")?.pid ?? 0;
    const allPids = system.processes.map((p) => p.pid);
    const cpuOf = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    const cpuBefore = { coordinator: cpuOf([coordinatorPid]), all: cpuOf(allPids) };
    const submitted = new Map<string, number>();
    const started = epochMs();
    let next = 0;
    const submitOne = async (): Promise<void> => {
      while (next < options.tasks) {
        const count = Math.min(options.batchSize, options.tasks - next);
        const specs = Array.from({ length: count }, (_, k) => noopSpec(next + k));
        next += count;
        const at = epochMs();
        const response = await client.createTasks({ tasks: specs, idempotencyKey: "" });
        for (const task of response.tasks) submitted.set(task.id, at);
      }
    };
    await Promise.all(Array.from({ length: options.inFlight }, submitOne));
    const submitSeconds = (epochMs() - started) / 1000;
    await waitAllDone(client, options.tasks + 1_000);
    const cpuAfter = { coordinator: cpuOf([coordinatorPid]), all: cpuOf(allPids) };
    const after = commitStats((await client.getMetrics({})).text);
    const coordinator = system.processes.find((p) => p.component === "coordinator");
    const coordinatorPeak = coordinator ? peakRssBytes(coordinator.pid) : Number.NaN;
    const agentPeak = Math.max(
      ...system.processes.filter((p) => p.component === "agent").map((p) => peakRssBytes(p.pid)),
    );

    const toStart: number[] = [];
    const toComplete: number[] = [];
    let lastFinish = 0;
    let anomalies = 0;
    let pageToken = "";
    do {
      const page = await client.listTasks({
        statuses: [],
        type: 0,
        agentId: "",
        projectId: "",
        pageSize: 500,
        pageToken,
      });
      for (const task of page.tasks) {
        const at = submitted.get(task.id);
        if (at === undefined) continue;
        if (task.status !== TaskStatus.TASK_STATUS_COMPLETED || task.attempt !== 1) anomalies += 1;
        toStart.push(task.startedAtMs - at);
        toComplete.push(task.finishedAtMs - at);
        lastFinish = Math.max(lastFinish, task.finishedAtMs);
      }
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    anomalies += options.tasks - toComplete.length;
    const drainSeconds = (lastFinish - started) / 1000;
    return {
      tasks: options.tasks,
      tasksPerSecond: options.tasks / drainSeconds,
      submitToStart: summarizeLatencies(toStart),
      submitToComplete: summarizeLatencies(toComplete),
      workerPeakRssBytes: agentPeak,
      coordinatorPeakRssBytes: coordinatorPeak,
      submitSeconds,
      drainSeconds,
      anomalies,
      commits: after.count - before.count,
      recordsPerCommit: (after.sum - before.sum) / (after.count - before.count),
      commitSeconds: after.seconds - before.seconds,
      coordinatorCpuUsPerTask:
        ((cpuAfter.coordinator - cpuBefore.coordinator) * 1e6) / options.tasks,
      systemCpuUsPerTask: ((cpuAfter.all - cpuBefore.all) * 1e6) / options.tasks,
    };
  } finally {
    raw.close();
    await system.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Client = ReturnType<typeof promiseClient<CoordinatorServiceClient>>;

/** Warm-up: pushes `count` tasks through and waits for them. */
async function drain(client: Client, count: number, options: OurDrainOptions): Promise<void> {
  for (let i = 0; i < count; i += options.batchSize) {
    const n = Math.min(options.batchSize, count - i);
    await client.createTasks({
      tasks: Array.from({ length: n }, (_, k) => noopSpec(i + k)),
      idempotencyKey: "",
    });
  }
  await waitAllDone(client, count);
}

async function waitAllDone(client: Client, total: number): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const status = await client.getSystemStatus({});
    const done = status.taskCounts
      .filter(
        (c) =>
          c.status === TaskStatus.TASK_STATUS_COMPLETED ||
          c.status === TaskStatus.TASK_STATUS_FAILED ||
          c.status === TaskStatus.TASK_STATUS_CANCELLED,
      )
      .reduce((sum, c) => sum + c.count, 0);
    if (done >= total) return;
    if (Date.now() > deadline) throw new Error(`only ${done} of ${total} tasks finished in time`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
