import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { AppError } from "../../src/domain/index.js";
import { epochMs, type PeerResult, summarizeLatencies } from "../lib/index.js";
import { DRAIN_JOB_NAME, type DrainJobData } from "./drain-job.js";
import { RECORD_WIDTH } from "./worker-messages.js";
import { WorkerPool } from "./worker-pool.js";

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

const CONNECT_TIMEOUT_MS = 10_000;

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw AppError.invalidArgument(name, `${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * Drains `tasks` no-op jobs through BullMQ with `workers` forked worker processes of
 * `concurrency` each, and measures it the way our own dispatch benchmark measures us.
 *
 * Jobs carry their submission time in their data; each worker notes when its processor
 * started a job and when BullMQ reported the job completed (after the completion was written
 * to Redis), and reports both back over IPC in batches. That is exact (the timestamps are
 * taken where the events happen, not when the parent hears of them) and cheap (no extra Redis
 * traffic, unlike QueueEvents, whose event stream is also trimmed and can drop events when
 * its reader lags).
 */
export async function runBullmqDrain(options: BullmqDrainOptions): Promise<BullmqDrainResult> {
  const tasks = positiveInteger("tasks", options.tasks);
  const workerCount = positiveInteger("workers", options.workers);
  const concurrency = positiveInteger("concurrency", options.concurrency);
  const chunkSize = positiveInteger("chunkSize", options.chunkSize ?? 100);
  const timeoutMs = positiveInteger("timeoutMs", options.timeoutMs ?? 300_000);
  const queueName = `bench-drain-${randomUUID()}`;
  const connection = { url: options.redisUrl, maxRetriesPerRequest: null };

  const startLatencies = new Float64Array(tasks);
  const completeLatencies = new Float64Array(tasks);
  const seen = new Uint8Array(tasks);
  let completed = 0;
  let duplicates = 0;
  let lastCompletedAtMs = 0;

  // `failed` only ever rejects (a worker error, an early exit, the timeout); every wait
  // below races it so that a broken run ends at once instead of hanging.
  let fail: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    fail = reject;
  });
  // Failures are awaited at the next step; until then they must not count as unhandled.
  failed.catch(() => undefined);
  let onDrained: () => void = () => undefined;
  const drained = new Promise<void>((resolve) => {
    onDrained = resolve;
  });

  const onRecords = (records: number[]) => {
    for (let at = 0; at + RECORD_WIDTH <= records.length; at += RECORD_WIDTH) {
      const index = records[at] as number;
      const submittedAtMs = records[at + 1] as number;
      const startedAtMs = records[at + 2] as number;
      const completedAtMs = records[at + 3] as number;
      if (seen[index] === 1) {
        duplicates += 1;
        continue;
      }
      seen[index] = 1;
      startLatencies[index] = startedAtMs - submittedAtMs;
      completeLatencies[index] = completedAtMs - submittedAtMs;
      lastCompletedAtMs = Math.max(lastCompletedAtMs, completedAtMs);
      completed += 1;
    }
    if (completed === tasks) onDrained();
  };

  const queue = new Queue<DrainJobData>(queueName, { connection });
  const pool = new WorkerPool({ onRecords, onFailure: fail });
  const timer = setTimeout(() => {
    const message = `BullMQ drain did not finish within ${timeoutMs} ms (${completed}/${tasks} completed)`;
    fail(new AppError("deadline_exceeded", message));
  }, timeoutMs);
  let queueReady = false;
  const unreachable = setTimeout(() => {
    const message = `cannot reach Redis at redisUrl ${options.redisUrl} within ${CONNECT_TIMEOUT_MS} ms`;
    fail(new AppError("unavailable", message));
  }, CONNECT_TIMEOUT_MS);
  try {
    await Promise.race([queue.waitUntilReady(), failed]);
    clearTimeout(unreachable);
    queueReady = true;
    pool.start(workerCount, { type: "start", queueName, redisUrl: options.redisUrl, concurrency });
    await Promise.race([pool.waitUntilReady(), failed]);

    const firstSubmitAtMs = epochMs();
    for (let first = 0; first < tasks; first += chunkSize) {
      const submittedAtMs = epochMs();
      const jobs = [];
      for (let index = first; index < Math.min(first + chunkSize, tasks); index += 1) {
        jobs.push({ name: DRAIN_JOB_NAME, data: { index, submittedAtMs } });
      }
      await Promise.race([queue.addBulk(jobs), failed]);
    }
    const submitSeconds = (epochMs() - firstSubmitAtMs) / 1000;
    await Promise.race([drained, failed]);

    const peakRss = await Promise.race([pool.stop(), failed]);

    const drainSeconds = (lastCompletedAtMs - firstSubmitAtMs) / 1000;
    return {
      tasks,
      tasksPerSecond: tasks / drainSeconds,
      submitToStart: summarizeLatencies(startLatencies),
      submitToComplete: summarizeLatencies(completeLatencies),
      workerPeakRssBytes: Math.max(...peakRss),
      submitSeconds,
      drainSeconds,
      duplicateCompletions: duplicates,
    };
  } finally {
    clearTimeout(timer);
    clearTimeout(unreachable);
    // Whatever happened, no worker outlives the run and the queue leaves nothing in Redis.
    pool.kill();
    if (queueReady) await queue.obliterate({ force: true });
    await queue.close();
  }
}
