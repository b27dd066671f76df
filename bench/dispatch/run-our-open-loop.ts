import { epochMs, type OpenLoopPeerResult, runOpenLoop, summarizeLatencies } from "../lib/index.js";
import { OurBenchSystem } from "./our-bench-system.js";

export interface OurOpenLoopOptions {
  /** Target tasks per second. */
  rate: number;
  /** Seconds of submission; `rate * seconds` tasks in all. */
  seconds: number;
  /** Concurrency of each of the seven agents. */
  concurrency: number;
  /** Most tasks per CreateTasks call (only reached when catching up after a slow call). */
  maxPerCall: number;
  /** Extra `mcp-dist start` flags (e.g. the SQLite synchronous mode). */
  flags?: string[];
  /** Tasks pushed through (and waited for) before the measured run. Default 1000. */
  warmUpTasks?: number;
  /** Aborts the run (the system is still stopped). */
  signal?: AbortSignal;
}

export interface OurOpenLoopResult extends OpenLoopPeerResult {
  /** Tasks that ended anything but completed on their first attempt (must be 0). */
  anomalies: number;
  /** CPU per task of the coordinator alone, in microseconds. */
  coordinatorCpuUsPerTask: number;
}

/** How long the tasks may take to finish after the last submission. */
const FINISH_TIMEOUT_MS = 120_000;

/**
 * Submits no-op tasks to our real processes at a fixed rate (one CreateTasks call every
 * 10 ms) for a fixed time, waits for all of them, and measures each against the time of its
 * submission call, from the coordinator's recorded start and finish times.
 */
export async function runOurOpenLoop(options: OurOpenLoopOptions): Promise<OurOpenLoopResult> {
  const system = new OurBenchSystem({
    concurrency: options.concurrency,
    flags: options.flags ?? [],
    signal: options.signal,
  });
  await system.start();
  try {
    await system.warmUp(options.warmUpTasks ?? 1_000, options.maxPerCall);
    const before = await system.counters();
    const submitted = new Map<string, number>();
    const started = epochMs();
    const pacing = await runOpenLoop({
      rate: options.rate,
      seconds: options.seconds,
      maxPerCall: options.maxPerCall,
      signal: options.signal,
      submit: (first, count) => system.submit(first, count, submitted),
    });
    await system.waitAllDone(FINISH_TIMEOUT_MS);
    const after = await system.counters();
    const times = await system.taskTimes(submitted, pacing.tasks);
    return {
      targetRate: options.rate,
      pacing,
      submitToStart: summarizeLatencies(times.toStart),
      submitToComplete: summarizeLatencies(times.toComplete),
      drainSeconds: (times.lastFinishMs - started) / 1000,
      cpuUsPerTask: ((after.systemCpuSeconds - before.systemCpuSeconds) * 1e6) / pacing.tasks,
      coordinatorCpuUsPerTask:
        ((after.coordinatorCpuSeconds - before.coordinatorCpuSeconds) * 1e6) / pacing.tasks,
      anomalies: times.anomalies,
    };
  } finally {
    await system.close();
  }
}
