import { cpus, loadavg } from "node:os";
import { runBullmqDrain } from "./bullmq/index.js";
import { formatBytes, formatMs, formatRate, renderTable } from "./lib/index.js";
import { runOurDrain } from "./dispatch/run-our-drain.js";

/**
 * npm run bench:dispatch [-- --tasks N --concurrency C --batch B --sync normal|full]
 * Drains N no-op tasks through our real processes (seven agents of concurrency C) and, in the
 * same run, through BullMQ on the local Redis (seven worker processes of concurrency C).
 */
function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

const tasks = Number(arg("tasks", "20000"));
const concurrency = Number(arg("concurrency", "5"));
const batchSize = Number(arg("batch", "500"));
const sync = arg("sync", "normal");
const skipPeer = process.argv.includes("--no-peer");

console.log(
  `dispatch benchmark: ${tasks} no-op tasks, 7 agents x concurrency ${concurrency}; ${cpus().length} cores, Node ${process.version}, load ${loadavg()[0]?.toFixed(2)}`,
);
const ours = await runOurDrain({
  tasks,
  concurrency,
  batchSize,
  inFlight: 2,
  flags: ["--coordinator-sqlite-synchronous", sync],
});
console.log(
  `ours done: ${formatRate(ours.tasksPerSecond)}, anomalies ${ours.anomalies}, ` +
    `${ours.commits} group commits of ${ours.recordsPerCommit.toFixed(1)} records on average, ` +
    `${ours.commitSeconds.toFixed(2)} s in commits; CPU per task: coordinator ` +
    `${ours.coordinatorCpuUsPerTask.toFixed(0)} us, all processes ${ours.systemCpuUsPerTask.toFixed(0)} us`,
);
const peer = skipPeer
  ? null
  : await runBullmqDrain({
      tasks,
      workers: 7,
      concurrency,
      redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    });

const rows = [
  [
    `mcp-dist (SQLite, synchronous ${sync})`,
    formatRate(ours.tasksPerSecond),
    formatMs(ours.submitToStart.p50Ms),
    formatMs(ours.submitToStart.p99Ms),
    formatMs(ours.submitToComplete.p50Ms),
    formatMs(ours.submitToComplete.p99Ms),
    formatBytes(ours.coordinatorPeakRssBytes),
  ],
];
if (peer) {
  rows.push([
    "BullMQ 6.7 + Redis 7",
    formatRate(peer.tasksPerSecond),
    formatMs(peer.submitToStart.p50Ms),
    formatMs(peer.submitToStart.p99Ms),
    formatMs(peer.submitToComplete.p50Ms),
    formatMs(peer.submitToComplete.p99Ms),
    "-",
  ]);
}
console.log(
  renderTable(
    [
      { header: "system" },
      { header: "tasks/s", align: "right" },
      { header: "start p50", align: "right" },
      { header: "start p99", align: "right" },
      { header: "complete p50", align: "right" },
      { header: "complete p99", align: "right" },
      { header: "coordinator peak RSS", align: "right" },
    ],
    rows,
  ),
);
if (peer)
  console.log(`ratio (ours / BullMQ): ${(ours.tasksPerSecond / peer.tasksPerSecond).toFixed(2)}x`);
if (ours.anomalies > 0) {
  console.log(
    `ANOMALIES: ${ours.anomalies} tasks not completed exactly once on their first attempt`,
  );
  process.exitCode = 1;
}
