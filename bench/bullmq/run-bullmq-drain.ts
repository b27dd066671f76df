import { epochMs, type PeerResult, positiveInteger } from "../lib/index.js";
import { BullmqBench } from "./bullmq-bench.js";

/** Options of one BullMQ drain run. */
export interface BullmqDrainOptions {
  /** Jobs to submit and drain. */
  tasks: number;
  /** Worker processes to fork. */
  workers: number;
  /** Jobs each worker process runs at once (BullMQ `concurrency`). */
  concurrency: number;
  /** Redis to use, e.g. "redis://127.0.0.1:6379". A unique queue is made and obliterated. */
  redisUrl: string;
  /**
   * Jobs per `addBulk` call (one Redis pipeline each). Default 100: on the 2-core machine,
   * chunks of 1000 gave a submit-to-start p50 of 1.5 to 3 s against 0.06 to 0.4 s with
   * chunks of 100, at no better drain rate (a big pipeline seems to hold the workers' own
   * commands back in Redis).
   */
  chunkSize?: number;
  /** The run fails if it has not drained by then. Default 300000 (5 min). */
  timeoutMs?: number;
  /** Aborts the run (workers are still killed and the queue obliterated). */
  signal?: AbortSignal;
}

/** A BullMQ drain result: the common peer figures plus what this run observed. */
export interface BullmqDrainResult extends PeerResult {
  tasks: number;
  /** Time from the first submission to the return of the last `addBulk`. */
  submitSeconds: number;
  /** Time from the first submission to the last recorded completion. */
  drainSeconds: number;
  /** Jobs whose completion was reported more than once (BullMQ is at-least-once). */
  duplicateCompletions: number;
}

/**
 * Drains `tasks` no-op jobs through BullMQ with `workers` forked worker processes of
 * `concurrency` each, submitting in `addBulk` chunks as fast as Redis takes them, and
 * measures it the way our own dispatch benchmark measures us (see `BullmqBench`).
 */
export async function runBullmqDrain(options: BullmqDrainOptions): Promise<BullmqDrainResult> {
  const tasks = positiveInteger("tasks", options.tasks);
  const chunkSize = positiveInteger("chunkSize", options.chunkSize ?? 100);
  const bench = new BullmqBench({
    capacity: tasks,
    workers: positiveInteger("workers", options.workers),
    concurrency: positiveInteger("concurrency", options.concurrency),
    redisUrl: options.redisUrl,
    timeoutMs: positiveInteger("timeoutMs", options.timeoutMs ?? 300_000),
    signal: options.signal,
  });
  try {
    await bench.start();
    const firstSubmitAtMs = epochMs();
    for (let first = 0; first < tasks; first += chunkSize) {
      await bench.add(first, Math.min(chunkSize, tasks - first));
    }
    const submitSeconds = (epochMs() - firstSubmitAtMs) / 1000;
    await bench.waitForCompleted(tasks);
    const peakRss = await bench.stopWorkers();
    const times = bench.times(0, tasks);
    const drainSeconds = (times.lastCompletedAtMs - firstSubmitAtMs) / 1000;
    return {
      tasks,
      tasksPerSecond: tasks / drainSeconds,
      submitToStart: times.submitToStart,
      submitToComplete: times.submitToComplete,
      workerPeakRssBytes: Math.max(...peakRss),
      submitSeconds,
      drainSeconds,
      duplicateCompletions: bench.duplicateCompletions,
    };
  } finally {
    // Whatever happened, no worker outlives the run and the queue leaves nothing in Redis.
    await bench.close();
  }
}
