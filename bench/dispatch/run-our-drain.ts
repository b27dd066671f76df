import { epochMs, type PeerResult, summarizeLatencies } from "../lib/index.js";
import { OurBenchSystem } from "./our-bench-system.js";

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
  /** Tasks pushed through (and waited for) before the measured drain. Default 1000. */
  warmUpTasks?: number;
  /** Aborts the run (the system is still stopped). */
  signal?: AbortSignal;
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

/**
 * Drains `tasks` no-op tasks through the real processes (coordinator, seven agents) started by
 * the orchestrator, submitting over gRPC in batches as fast as the coordinator acknowledges
 * them. Latencies use the client's submit time and the coordinator's recorded start and
 * finish times (same machine clock).
 */
export async function runOurDrain(options: OurDrainOptions): Promise<OurDrainResult> {
  const system = new OurBenchSystem({
    concurrency: options.concurrency,
    flags: options.flags ?? [],
    signal: options.signal,
  });
  await system.start();
  try {
    await system.warmUp(options.warmUpTasks ?? 1_000, options.batchSize);
    const before = await system.counters();
    const submitted = new Map<string, number>();
    const started = epochMs();
    let next = 0;
    const submitter = async (): Promise<void> => {
      while (next < options.tasks) {
        options.signal?.throwIfAborted();
        const first = next;
        const count = Math.min(options.batchSize, options.tasks - first);
        next += count;
        await system.submit(first, count, submitted);
      }
    };
    await Promise.all(Array.from({ length: options.inFlight }, submitter));
    const submitSeconds = (epochMs() - started) / 1000;
    await system.waitAllDone(600_000);
    const after = await system.counters();
    const peak = system.peakRss();
    const times = await system.taskTimes(submitted, options.tasks);
    const drainSeconds = (times.lastFinishMs - started) / 1000;
    const commits = after.commits - before.commits;
    return {
      tasks: options.tasks,
      tasksPerSecond: options.tasks / drainSeconds,
      submitToStart: summarizeLatencies(times.toStart),
      submitToComplete: summarizeLatencies(times.toComplete),
      workerPeakRssBytes: peak.agentBytes,
      coordinatorPeakRssBytes: peak.coordinatorBytes,
      submitSeconds,
      drainSeconds,
      anomalies: times.anomalies,
      commits,
      recordsPerCommit: (after.committedRecords - before.committedRecords) / commits,
      commitSeconds: after.commitSeconds - before.commitSeconds,
      coordinatorCpuUsPerTask:
        ((after.coordinatorCpuSeconds - before.coordinatorCpuSeconds) * 1e6) / options.tasks,
      systemCpuUsPerTask:
        ((after.systemCpuSeconds - before.systemCpuSeconds) * 1e6) / options.tasks,
    };
  } finally {
    await system.close();
  }
}
