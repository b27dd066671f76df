import { epochMs, type OpenLoopPeerResult, positiveInteger, runOpenLoop } from "../lib/index.js";
import { BullmqBench } from "./bullmq-bench.js";

/** Options of one BullMQ open-loop run. */
export interface BullmqOpenLoopOptions {
  /** Target jobs per second. */
  rate: number;
  /** Seconds of submission; `rate * seconds` jobs in all. */
  seconds: number;
  /** Worker processes to fork. */
  workers: number;
  /** Jobs each worker process runs at once (BullMQ `concurrency`). */
  concurrency: number;
  /** Redis to use, e.g. "redis://127.0.0.1:6379". A unique queue is made and obliterated. */
  redisUrl: string;
  /** Most jobs per `addBulk` call (only reached when catching up after a slow call). */
  maxPerCall: number;
  /** Jobs pushed through (and waited for) before the measured run. Default 1000. */
  warmUpTasks?: number;
  /** Aborts the run (workers are still killed and the queue obliterated). */
  signal?: AbortSignal;
}

/** A BullMQ open-loop result: the common figures plus what this run observed. */
export interface BullmqOpenLoopResult extends OpenLoopPeerResult {
  /** Jobs whose completion was reported more than once (BullMQ is at-least-once). */
  duplicateCompletions: number;
}

/** Warm-up jobs go to Redis in pipelines of this many (as the drain does). */
const WARM_UP_CHUNK = 100;
/** How long the jobs may take to finish after the last submission. */
const FINISH_TIMEOUT_MS = 120_000;

/**
 * Submits no-op jobs to BullMQ at a fixed rate (one `addBulk` call every 10 ms) for a fixed
 * time, waits for all of them, and measures each against the time of its submission call
 * from the timestamps its worker took (see `BullmqBench`). A warm-up of the same size as
 * ours comes first, so that both systems are measured warm.
 */
export async function runBullmqOpenLoop(
  options: BullmqOpenLoopOptions,
): Promise<BullmqOpenLoopResult> {
  const warmUp = options.warmUpTasks ?? 1_000;
  const tasks = Math.round(options.rate * options.seconds);
  const bench = new BullmqBench({
    capacity: warmUp + positiveInteger("rate * seconds", tasks),
    workers: positiveInteger("workers", options.workers),
    concurrency: positiveInteger("concurrency", options.concurrency),
    redisUrl: options.redisUrl,
    // Start, warm-up, the submission itself, then the finish.
    timeoutMs: 60_000 + options.seconds * 1000 + FINISH_TIMEOUT_MS,
    signal: options.signal,
  });
  try {
    await bench.start();
    for (let first = 0; first < warmUp; first += WARM_UP_CHUNK) {
      await bench.add(first, Math.min(WARM_UP_CHUNK, warmUp - first));
    }
    await bench.waitForCompleted(warmUp);
    const cpuBefore = bench.cpuSeconds();
    const started = epochMs();
    const pacing = await runOpenLoop({
      rate: options.rate,
      seconds: options.seconds,
      maxPerCall: positiveInteger("maxPerCall", options.maxPerCall),
      signal: options.signal,
      submit: (first, count) => bench.add(warmUp + first, count),
    });
    await bench.waitForCompleted(warmUp + tasks);
    const cpuAfter = bench.cpuSeconds();
    const times = bench.times(warmUp, warmUp + tasks);
    await bench.stopWorkers();
    return {
      targetRate: options.rate,
      pacing,
      submitToStart: times.submitToStart,
      submitToComplete: times.submitToComplete,
      drainSeconds: (times.lastCompletedAtMs - started) / 1000,
      cpuUsPerTask: ((cpuAfter - cpuBefore) * 1e6) / tasks,
      duplicateCompletions: bench.duplicateCompletions,
    };
  } finally {
    await bench.close();
  }
}
