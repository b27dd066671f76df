/**
 * Drains no-op jobs through BullMQ and prints the figures.
 *
 *   node dist/bench/bullmq/main.js [--tasks 20000] [--workers 7] [--concurrency 5]
 *     [--chunk-size 100] [--redis-url URL]
 */
import { parseArgs } from "node:util";
import { formatBytes, formatCount, formatMs, formatRate, renderTable } from "../lib/index.js";
import { runBullmqDrain } from "./index.js";

const { values } = parseArgs({
  options: {
    tasks: { type: "string", default: "20000" },
    workers: { type: "string", default: "7" },
    concurrency: { type: "string", default: "5" },
    "chunk-size": { type: "string", default: "100" },
    "redis-url": { type: "string", default: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" },
  },
});

const options = {
  tasks: Number(values.tasks),
  workers: Number(values.workers),
  concurrency: Number(values.concurrency),
  redisUrl: values["redis-url"],
  chunkSize: Number(values["chunk-size"]),
};

const result = await runBullmqDrain(options).catch((error: unknown) => {
  console.error(`BullMQ drain failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
console.log(
  `BullMQ drain: ${formatCount(result.tasks)} no-op jobs, ${options.workers} worker processes x concurrency ${options.concurrency}`,
);
console.log(
  renderTable(
    [{ header: "figure" }, { header: "value", align: "right" }],
    [
      ["drain rate", formatRate(result.tasksPerSecond)],
      ["drain time", `${result.drainSeconds.toFixed(2)} s`],
      ["submit time (addBulk)", `${result.submitSeconds.toFixed(2)} s`],
      ["submit -> start p50", formatMs(result.submitToStart.p50Ms)],
      ["submit -> start p99", formatMs(result.submitToStart.p99Ms)],
      ["submit -> complete p50", formatMs(result.submitToComplete.p50Ms)],
      ["submit -> complete p99", formatMs(result.submitToComplete.p99Ms)],
      ["worker peak RSS (max of workers)", formatBytes(result.workerPeakRssBytes)],
      ["duplicate completions", formatCount(result.duplicateCompletions)],
    ],
  ),
);
