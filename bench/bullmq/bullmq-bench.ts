import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { AppError } from "../../src/domain/index.js";
import {
  epochMs,
  type LatencySummary,
  processName,
  summarizeLatencies,
  totalCpuSeconds,
} from "../lib/index.js";
import { DRAIN_JOB_NAME, type DrainJobData } from "./drain-job.js";
import { RECORD_WIDTH } from "./worker-messages.js";
import { WorkerPool } from "./worker-pool.js";

/** Options of one BullMQ benchmark run. */
export interface BullmqBenchOptions {
  /** Jobs the run will submit in all, indexed 0 to capacity - 1. */
  capacity: number;
  /** Worker processes to fork. */
  workers: number;
  /** Jobs each worker process runs at once (BullMQ `concurrency`). */
  concurrency: number;
  /** Redis to use, e.g. "redis://127.0.0.1:6379". A unique queue is made and obliterated. */
  redisUrl: string;
  /** The run fails if it is not over by then, counted from `start()`. */
  timeoutMs: number;
  /** Aborts the run: every wait rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Latencies of a range of jobs, from the timestamps their workers took. */
export interface BullmqJobTimes {
  submitToStart: LatencySummary;
  submitToComplete: LatencySummary;
  /** Latest completion in the range (epoch ms). */
  lastCompletedAtMs: number;
}

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * One BullMQ queue on Redis and its forked worker processes, for one benchmark run, measured
 * the way our own dispatch benchmark measures us.
 *
 * Jobs carry their submission time in their data; each worker notes when its processor
 * started a job and when BullMQ reported the job completed (after the completion was written
 * to Redis), and reports both back over IPC in batches. That is exact (the timestamps are
 * taken where the events happen, not when the parent hears of them) and cheap (no extra Redis
 * traffic, unlike QueueEvents, whose event stream is also trimmed and can drop events when
 * its reader lags).
 *
 * Every wait races `failed`, which rejects on a worker error, an early exit, the timeout or
 * an abort, so that a broken run ends at once instead of hanging. `close()` always kills the
 * workers and obliterates the queue.
 */
export class BullmqBench {
  private readonly queue: Queue<DrainJobData>;
  private readonly pool: WorkerPool;
  private readonly startLatency: Float64Array;
  private readonly completeLatency: Float64Array;
  private readonly completedAt: Float64Array;
  private readonly seen: Uint8Array;
  private completedCount = 0;
  private duplicates = 0;
  private waiter: { count: number; resolve: () => void } | null = null;
  private readonly failed: Promise<never>;
  private fail: (error: Error) => void = () => undefined;
  private timer: NodeJS.Timeout | undefined;
  private queueReady = false;
  private redisPid = 0;
  private readonly onAbort = () => {
    const reason: unknown = this.options.signal?.reason;
    this.fail(reason instanceof Error ? reason : new AppError("cancelled", "the run was aborted"));
  };

  constructor(private readonly options: BullmqBenchOptions) {
    const capacity = options.capacity;
    this.startLatency = new Float64Array(capacity);
    this.completeLatency = new Float64Array(capacity);
    this.completedAt = new Float64Array(capacity);
    this.seen = new Uint8Array(capacity);
    this.failed = new Promise<never>((_resolve, reject) => {
      this.fail = reject;
    });
    // Failures are awaited at the next step; until then they must not count as unhandled.
    this.failed.catch(() => undefined);
    this.queue = new Queue<DrainJobData>(`bench-drain-${randomUUID()}`, {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
    });
    this.pool = new WorkerPool({
      onRecords: (records) => this.onRecords(records),
      onFailure: (error) => this.fail(error),
    });
  }

  /** Jobs whose completion was reported more than once (BullMQ is at-least-once). */
  get duplicateCompletions(): number {
    return this.duplicates;
  }

  /** Connects to Redis, forks the workers and resolves once they all consume the queue. */
  async start(): Promise<void> {
    const { timeoutMs, redisUrl, signal } = this.options;
    this.timer = setTimeout(() => {
      const message = `the BullMQ run did not finish within ${timeoutMs} ms (${this.completedCount}/${this.options.capacity} completed)`;
      this.fail(new AppError("deadline_exceeded", message));
    }, timeoutMs);
    if (signal?.aborted) this.onAbort();
    signal?.addEventListener("abort", this.onAbort, { once: true });
    const unreachable = setTimeout(() => {
      const message = `cannot reach Redis at redisUrl ${redisUrl} within ${CONNECT_TIMEOUT_MS} ms`;
      this.fail(new AppError("unavailable", message));
    }, CONNECT_TIMEOUT_MS);
    try {
      await this.race(this.queue.waitUntilReady());
    } finally {
      clearTimeout(unreachable);
    }
    this.queueReady = true;
    this.redisPid = await this.race(this.findRedisPid());
    this.pool.start(this.options.workers, {
      type: "start",
      queueName: this.queue.name,
      redisUrl,
      concurrency: this.options.concurrency,
    });
    await this.race(this.pool.waitUntilReady());
  }

  /** Adds jobs `first` to `first + count - 1` in one `addBulk` call (one Redis pipeline). */
  async add(first: number, count: number): Promise<void> {
    const submittedAtMs = epochMs();
    const jobs = [];
    for (let index = first; index < first + count; index += 1) {
      jobs.push({ name: DRAIN_JOB_NAME, data: { index, submittedAtMs } });
    }
    await this.race(this.queue.addBulk(jobs));
  }

  /** Resolves once `count` distinct jobs have completed. */
  async waitForCompleted(count: number): Promise<void> {
    if (this.completedCount >= count) return;
    await this.race(
      new Promise<void>((resolve) => {
        this.waiter = { count, resolve };
      }),
    );
  }

  /** Latencies of jobs `from` to `to - 1`, which must all have completed. */
  times(from: number, to: number): BullmqJobTimes {
    let lastCompletedAtMs = 0;
    for (let i = from; i < to; i += 1) {
      lastCompletedAtMs = Math.max(lastCompletedAtMs, this.completedAt[i] as number);
    }
    return {
      submitToStart: summarizeLatencies(this.startLatency.subarray(from, to)),
      submitToComplete: summarizeLatencies(this.completeLatency.subarray(from, to)),
      lastCompletedAtMs,
    };
  }

  /**
   * CPU seconds used so far by the worker processes and the Redis server (NaN when Redis is
   * not a process this machine can see, e.g. in another PID namespace).
   */
  cpuSeconds(): number {
    return totalCpuSeconds([...this.pool.pids(), this.redisPid]);
  }

  /** Closes the workers in order and resolves with each one's peak RSS in bytes. */
  async stopWorkers(): Promise<number[]> {
    return this.race(this.pool.stop());
  }

  /** Kills whatever still runs, obliterates the queue and disconnects; call it always. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.options.signal?.removeEventListener("abort", this.onAbort);
    this.pool.kill();
    if (this.queueReady) await this.queue.obliterate({ force: true });
    await this.queue.close();
  }

  private race<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([promise, this.failed]);
  }

  /** The Redis server's PID, if it is a redis-server process visible from here; else 0. */
  private async findRedisPid(): Promise<number> {
    const redis = new Redis(this.options.redisUrl, { maxRetriesPerRequest: 1 });
    const info = await redis.info("server").finally(() => redis.disconnect());
    const pid = Number(/^process_id:(\d+)/m.exec(info)?.[1] ?? 0);
    return pid > 0 && processName(pid).startsWith("redis-server") ? pid : 0;
  }

  private onRecords(records: number[]): void {
    for (let at = 0; at + RECORD_WIDTH <= records.length; at += RECORD_WIDTH) {
      const index = records[at] as number;
      const submittedAtMs = records[at + 1] as number;
      const startedAtMs = records[at + 2] as number;
      const completedAtMs = records[at + 3] as number;
      if (this.seen[index] === 1) {
        this.duplicates += 1;
        continue;
      }
      this.seen[index] = 1;
      this.startLatency[index] = startedAtMs - submittedAtMs;
      this.completeLatency[index] = completedAtMs - submittedAtMs;
      this.completedAt[index] = completedAtMs;
      this.completedCount += 1;
    }
    if (this.waiter && this.completedCount >= this.waiter.count) {
      this.waiter.resolve();
      this.waiter = null;
    }
  }
}
