import { type ChildProcess, fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { AppError } from "../../src/domain/index.js";
import { epochMs, type PeerResult, summarizeLatencies } from "../lib/index.js";
import { DRAIN_JOB_NAME, type DrainJobData } from "./drain-job.js";
import { type FromWorker, isFromWorker, RECORD_WIDTH, type ToWorker } from "./worker-messages.js";

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
   * chunks of 100, at no better drain rate, since each big pipeline queues ahead of the
   * workers' own commands in Redis.
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
const WORKER_SCRIPT = fileURLToPath(new URL("./worker-main.js", import.meta.url));

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
  const peakRss: number[] = [];

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
      const [index, submittedAtMs, startedAtMs, completedAtMs] = records.slice(
        at,
        at + RECORD_WIDTH,
      ) as [number, number, number, number];
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
  const children: ChildProcess[] = [];
  const timer = setTimeout(
    () =>
      fail(
        new AppError(
          "deadline_exceeded",
          `BullMQ drain did not finish within ${timeoutMs} ms (${completed}/${tasks} completed)`,
        ),
      ),
    timeoutMs,
  );
  let queueReady = false;
  const unreachable = setTimeout(
    () =>
      fail(
        new AppError(
          "unavailable",
          `cannot reach Redis at redisUrl ${options.redisUrl} within ${CONNECT_TIMEOUT_MS} ms`,
        ),
      ),
    CONNECT_TIMEOUT_MS,
  );
  try {
    await Promise.race([queue.waitUntilReady(), failed]);
    clearTimeout(unreachable);
    queueReady = true;
    const ready: Array<Promise<void>> = [];
    const stopped: Array<Promise<void>> = [];
    for (let i = 0; i < workerCount; i += 1) {
      const child = fork(WORKER_SCRIPT, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
      children.push(child);
      let onReady: () => void = () => undefined;
      let onStopped: () => void = () => undefined;
      ready.push(new Promise((resolve) => (onReady = resolve)));
      stopped.push(new Promise((resolve) => (onStopped = resolve)));
      let stopReported = false;
      child.on("message", (message: unknown) => {
        if (!isFromWorker(message)) return;
        handle(message);
      });
      const handle = (message: FromWorker) => {
        switch (message.type) {
          case "ready":
            onReady();
            break;
          case "completed":
            onRecords(message.records);
            break;
          case "stopped":
            stopReported = true;
            peakRss.push(message.peakRssBytes);
            onStopped();
            break;
          case "error":
            fail(new AppError("internal", `BullMQ worker ${i}: ${message.message}`));
            break;
        }
      };
      child.on("exit", (code, signal) => {
        if (!stopReported)
          fail(
            new AppError(
              "internal",
              `BullMQ worker ${i} exited early (code ${code}, signal ${signal})`,
            ),
          );
      });
      send(child, { type: "start", queueName, redisUrl: options.redisUrl, concurrency });
    }
    await Promise.race([Promise.all(ready), failed]);

    const firstSubmitAtMs = epochMs();
    for (let first = 0; first < tasks; first += chunkSize) {
      const submittedAtMs = epochMs();
      const jobs = [];
      for (let index = first; index < Math.min(first + chunkSize, tasks); index += 1) {
        jobs.push({ name: DRAIN_JOB_NAME, data: { index, submittedAtMs } });
      }
      await queue.addBulk(jobs);
    }
    const submitSeconds = (epochMs() - firstSubmitAtMs) / 1000;
    await Promise.race([drained, failed]);

    for (const child of children) send(child, { type: "stop" });
    await Promise.race([Promise.all(stopped), failed]);

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
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    if (queueReady) await queue.obliterate({ force: true });
    await queue.close();
  }
}

function send(child: ChildProcess, message: ToWorker): void {
  child.send(message);
}
