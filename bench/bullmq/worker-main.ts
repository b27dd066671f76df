/**
 * A BullMQ worker process for the drain benchmark, forked by `runBullmqDrain`.
 *
 * It runs a no-op processor, takes the start timestamp as the processor's first act and the
 * completion timestamp when BullMQ reports the job completed (after its completion has been
 * written to Redis), and sends both back over IPC in batches.
 */
import { type Job, Worker } from "bullmq";
import { epochMs } from "../lib/index.js";
import type { DrainJobData } from "./drain-job.js";
import { type FromWorker, isToWorker, type ToWorker } from "./worker-messages.js";

/** How often completed records and the RSS are flushed/sampled; short enough not to lag. */
const FLUSH_INTERVAL_MS = 25;
const RSS_SAMPLE_INTERVAL_MS = 50;

function send(message: FromWorker): void {
  process.send?.(message);
}

let worker: Worker<DrainJobData> | undefined;
let pending: number[] = [];
let peakRssBytes = process.memoryUsage.rss();
const startedAt = new Map<string, number>();

const sampleRss = () => {
  peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
};
const flush = () => {
  if (pending.length === 0) return;
  send({ type: "completed", records: pending });
  pending = [];
};
const rssTimer = setInterval(sampleRss, RSS_SAMPLE_INTERVAL_MS);
const flushTimer = setInterval(flush, FLUSH_INTERVAL_MS);

async function start(message: Extract<ToWorker, { type: "start" }>): Promise<void> {
  worker = new Worker<DrainJobData>(
    message.queueName,
    async (job: Job<DrainJobData>) => {
      // The only thing the processor does is note when it started: this is a no-op job.
      startedAt.set(job.id ?? "", epochMs());
    },
    {
      connection: { url: message.redisUrl, maxRetriesPerRequest: null },
      concurrency: message.concurrency,
    },
  );
  worker.on("completed", (job) => {
    const completedAtMs = epochMs();
    const id = job.id ?? "";
    const started = startedAt.get(id) ?? Number.NaN;
    startedAt.delete(id);
    pending.push(job.data.index, job.data.submittedAtMs, started, completedAtMs);
  });
  worker.on("failed", (job, error) => {
    send({ type: "error", message: `job ${job?.id ?? "?"} failed: ${error.message}` });
  });
  worker.on("error", (error) => {
    send({ type: "error", message: `worker error: ${error.message}` });
  });
  await worker.waitUntilReady();
  send({ type: "ready" });
}

let stopping = false;

async function stop(): Promise<void> {
  stopping = true;
  await worker?.close();
  clearInterval(flushTimer);
  clearInterval(rssTimer);
  flush();
  sampleRss();
  // Exit only once the last report has been handed to the IPC channel.
  const last: FromWorker = { type: "stopped", peakRssBytes };
  if (process.send) process.send(last, () => process.exit(0));
  else process.exit(0);
}

process.on("message", (message: unknown) => {
  if (!isToWorker(message)) return;
  const action = message.type === "start" ? start(message) : stop();
  action.catch((error: unknown) => {
    const report: FromWorker = {
      type: "error",
      message: error instanceof Error ? error.message : String(error),
    };
    if (process.send) process.send(report, () => process.exit(1));
    else process.exit(1);
  });
});

// An orphaned worker (parent gone) must not linger.
process.on("disconnect", () => {
  if (stopping) return;
  process.exit(1);
});
