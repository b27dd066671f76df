import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CoordinatorServiceClient } from "../../src/gen/mcp/v1/coordinator.js";
import { Priority, TaskStatus, type TaskSpec } from "../../src/gen/mcp/v1/task.js";
import { CLIENT_OPTIONS, insecure, promiseClient } from "../../src/rpc/index.js";
import { epochMs, peakRssBytes, totalCpuSeconds } from "../lib/index.js";
import { launchSystem, type LaunchedSystem } from "./launch-system.js";

/** Options of our system as the dispatch benchmark runs it. */
export interface OurBenchSystemOptions {
  /** Concurrency of each of the seven agents. */
  concurrency: number;
  /** Extra `mcp-dist start` flags (e.g. the SQLite synchronous mode). */
  flags?: string[];
  /** Aborts the waits (the caller still calls `close()`). */
  signal?: AbortSignal;
}

/** CPU and group-commit counters at one moment, to take differences over a phase. */
export interface OurCounters {
  coordinatorCpuSeconds: number;
  systemCpuSeconds: number;
  commits: number;
  committedRecords: number;
  commitSeconds: number;
}

/** Latencies of the submitted tasks, from the coordinator's records. */
export interface OurTaskTimes {
  toStart: number[];
  toComplete: number[];
  /** Latest recorded finish (epoch ms). */
  lastFinishMs: number;
  /** Tasks that ended anything but completed on their first attempt, or were never listed. */
  anomalies: number;
}

type Client = ReturnType<typeof promiseClient<CoordinatorServiceClient>>;

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
  parentTaskId: "",
  maxAttempts: 0,
  ref: "",
});

/**
 * Our whole system (orchestrator, coordinator, seven agents) as real processes in a temporary
 * folder, with a gRPC client to the coordinator and the measurements the dispatch benchmark
 * takes from it. Latencies use the client's submit time and the coordinator's recorded start
 * and finish times (same machine clock).
 */
export class OurBenchSystem {
  private dir = "";
  private system: LaunchedSystem | null = null;
  private raw: CoordinatorServiceClient | null = null;
  private rpc: Client | null = null;
  /** Tasks created so far (warm-up included), to know when all are done. */
  private created = 0;

  constructor(private readonly options: OurBenchSystemOptions) {}

  /** Launches the processes and connects; on failure, cleans up what it started. */
  async start(): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), "mcp-bench-"));
    try {
      this.system = await launchSystem(this.dir, this.options.concurrency, this.options.flags);
    } catch (error) {
      await this.close();
      throw error;
    }
    this.raw = new CoordinatorServiceClient(this.system.coordinatorAddress, insecure(), {
      ...CLIENT_OPTIONS,
      "grpc.max_receive_message_length": 256 * 1024 * 1024,
    });
    this.rpc = promiseClient(this.raw, 120_000);
  }

  /**
   * Creates `count` no-op tasks in one CreateTasks call and notes, for each, the time the
   * call was made (epoch ms) in `submitted`.
   */
  async submit(first: number, count: number, submitted: Map<string, number>): Promise<void> {
    const specs = Array.from({ length: count }, (_, k) => noopSpec(first + k));
    const at = epochMs();
    const response = await this.client.createTasks({ tasks: specs, idempotencyKey: "" });
    this.created += count;
    for (const task of response.tasks) submitted.set(task.id, at);
  }

  /** Warm-up: pushes `count` tasks through in calls of `batchSize` and waits for them. */
  async warmUp(count: number, batchSize: number): Promise<void> {
    const ignored = new Map<string, number>();
    for (let i = 0; i < count; i += batchSize) {
      await this.submit(i, Math.min(batchSize, count - i), ignored);
    }
    await this.waitAllDone(600_000);
  }

  /** Resolves once every task created so far is terminal; rejects after `timeoutMs`. */
  async waitAllDone(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.options.signal?.throwIfAborted();
      const status = await this.client.getSystemStatus({});
      const done = status.taskCounts
        .filter(
          (c) =>
            c.status === TaskStatus.TASK_STATUS_COMPLETED ||
            c.status === TaskStatus.TASK_STATUS_FAILED ||
            c.status === TaskStatus.TASK_STATUS_CANCELLED,
        )
        .reduce((sum, c) => sum + c.count, 0);
      if (done >= this.created) return;
      if (Date.now() > deadline) {
        throw new Error(`only ${done} of ${this.created} tasks finished within ${timeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** CPU used so far by the coordinator and by all processes, and the commit counters. */
  async counters(): Promise<OurCounters> {
    const text = (await this.client.getMetrics({})).text;
    const read = (name: string) =>
      Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? Number.NaN);
    return {
      coordinatorCpuSeconds: totalCpuSeconds([this.pidOf("coordinator")]),
      systemCpuSeconds: totalCpuSeconds(this.processes.map((p) => p.pid)),
      commits: read("mcp_store_commit_records_count"),
      committedRecords: read("mcp_store_commit_records_sum"),
      commitSeconds: read("mcp_store_commit_seconds_sum"),
    };
  }

  /** Peak RSS so far of the coordinator and of the largest agent. */
  peakRss(): { coordinatorBytes: number; agentBytes: number } {
    return {
      coordinatorBytes: peakRssBytes(this.pidOf("coordinator")),
      agentBytes: Math.max(
        ...this.processes.filter((p) => p.component === "agent").map((p) => peakRssBytes(p.pid)),
      ),
    };
  }

  /**
   * Reads every task back and measures the ones in `submitted` against their submit time;
   * `expected` is how many were submitted (any not acknowledged or not listed is an anomaly).
   */
  async taskTimes(submitted: ReadonlyMap<string, number>, expected: number): Promise<OurTaskTimes> {
    const toStart: number[] = [];
    const toComplete: number[] = [];
    let lastFinishMs = 0;
    let anomalies = 0;
    let pageToken = "";
    do {
      const page = await this.client.listTasks({
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
        // The coordinator records whole milliseconds (Date.now(), truncated). Truncating the
        // submit time too makes the difference unbiased; subtracting the exact submit time
        // would read half a millisecond short on average (and could go negative).
        const submittedMs = Math.floor(at);
        toStart.push(task.startedAtMs - submittedMs);
        toComplete.push(task.finishedAtMs - submittedMs);
        lastFinishMs = Math.max(lastFinishMs, task.finishedAtMs);
      }
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    anomalies += expected - toComplete.length;
    return { toStart, toComplete, lastFinishMs, anomalies };
  }

  /** Stops every process and removes the folder; safe to call more than once. */
  async close(): Promise<void> {
    this.raw?.close();
    this.raw = null;
    this.rpc = null;
    const system = this.system;
    this.system = null;
    if (system) await system.stop();
    if (this.dir !== "") rmSync(this.dir, { recursive: true, force: true });
    this.dir = "";
  }

  private get client(): Client {
    if (!this.rpc) throw new Error("the system is not started");
    return this.rpc;
  }

  private get processes(): LaunchedSystem["processes"] {
    return this.system?.processes ?? [];
  }

  private pidOf(component: string): number {
    return this.processes.find((p) => p.component === component)?.pid ?? 0;
  }
}
