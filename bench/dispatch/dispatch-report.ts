import type { BullmqDrainResult, BullmqOpenLoopResult } from "../bullmq/index.js";
import {
  formatBytes,
  formatCount,
  formatMs,
  formatRate,
  type OpenLoopPeerResult,
  renderTable,
} from "../lib/index.js";
import type { OurDrainResult } from "./run-our-drain.js";
import type { OurOpenLoopResult } from "./run-our-open-loop.js";

/** Names of the systems in the tables. */
export const PEER_NAME = "BullMQ 6.7 + Redis 7";
export const ourName = (sync: string) => `mcp-dist (SQLite, synchronous ${sync})`;

const ratio = (ours: number, peer: number) =>
  Number.isFinite(ours / peer) ? `${(ours / peer).toFixed(2)}x` : "-";
const micros = (us: number) => (Number.isFinite(us) ? `${formatCount(us)} us` : "-");

/** One line on our drain, printed as soon as it is over. */
export function ourDrainLine(ours: OurDrainResult): string {
  return (
    `ours drain: ${formatRate(ours.tasksPerSecond)}, anomalies ${ours.anomalies}, ` +
    `${ours.commits} group commits of ${ours.recordsPerCommit.toFixed(1)} records on average, ` +
    `${ours.commitSeconds.toFixed(2)} s in commits; CPU per task: coordinator ` +
    `${micros(ours.coordinatorCpuUsPerTask)}, all processes ${micros(ours.systemCpuUsPerTask)}`
  );
}

/** The drain table: throughput, and latencies that include the wait behind the backlog. */
export function drainTable(
  ours: OurDrainResult,
  peer: BullmqDrainResult | null,
  sync: string,
): string {
  const rows = [
    [
      ourName(sync),
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
      PEER_NAME,
      formatRate(peer.tasksPerSecond),
      formatMs(peer.submitToStart.p50Ms),
      formatMs(peer.submitToStart.p99Ms),
      formatMs(peer.submitToComplete.p50Ms),
      formatMs(peer.submitToComplete.p99Ms),
      "-",
    ]);
  }
  const table = renderTable(
    [
      { header: "drain" },
      { header: "tasks/s", align: "right" },
      { header: "start p50", align: "right" },
      { header: "start p99", align: "right" },
      { header: "complete p50", align: "right" },
      { header: "complete p99", align: "right" },
      { header: "coordinator peak RSS", align: "right" },
    ],
    rows,
  );
  return peer
    ? `${table}\nratio (ours / BullMQ): ${ratio(ours.tasksPerSecond, peer.tasksPerSecond)}`
    : table;
}

/** One line on how a system's open loop went, printed as soon as it is over. */
export function openLoopLine(name: string, result: OpenLoopPeerResult, extra: string): string {
  const p = result.pacing;
  return (
    `${name} open loop: ${formatCount(p.tasks)} tasks in ${p.calls} calls over ` +
    `${p.submitSeconds.toFixed(2)} s (achieved ${formatRate(p.achievedRate)} of ` +
    `${formatRate(result.targetRate)}), ${p.lateCalls} calls late by more than a tick, ` +
    `max lag ${formatMs(p.maxLagMs)}, call p50 ${formatMs(p.callLatency.p50Ms)} ` +
    `p99 ${formatMs(p.callLatency.p99Ms)}; all done ${result.drainSeconds.toFixed(2)} s after ` +
    `the first submission; ${extra}`
  );
}

/** The open-loop table: latencies at a steady load, ours and BullMQ side by side. */
export function openLoopTable(
  ours: OurOpenLoopResult,
  peer: BullmqOpenLoopResult | null,
  sync: string,
): string {
  const cells = (r: OpenLoopPeerResult) => [
    formatRate(r.pacing.achievedRate),
    formatMs(r.submitToStart.p50Ms),
    formatMs(r.submitToStart.p99Ms),
    formatMs(r.submitToStart.maxMs),
    formatMs(r.submitToComplete.p50Ms),
    formatMs(r.submitToComplete.p99Ms),
    formatMs(r.submitToComplete.maxMs),
    micros(r.cpuUsPerTask),
  ];
  const rows = [[ourName(sync), ...cells(ours)]];
  if (peer) {
    rows.push([PEER_NAME, ...cells(peer)]);
    rows.push([
      "ratio (ours / BullMQ)",
      ratio(ours.pacing.achievedRate, peer.pacing.achievedRate),
      ratio(ours.submitToStart.p50Ms, peer.submitToStart.p50Ms),
      ratio(ours.submitToStart.p99Ms, peer.submitToStart.p99Ms),
      ratio(ours.submitToStart.maxMs, peer.submitToStart.maxMs),
      ratio(ours.submitToComplete.p50Ms, peer.submitToComplete.p50Ms),
      ratio(ours.submitToComplete.p99Ms, peer.submitToComplete.p99Ms),
      ratio(ours.submitToComplete.maxMs, peer.submitToComplete.maxMs),
      ratio(ours.cpuUsPerTask, peer.cpuUsPerTask),
    ]);
  }
  return renderTable(
    [
      { header: `open loop ${formatRate(ours.targetRate)}` },
      { header: "achieved", align: "right" },
      { header: "start p50", align: "right" },
      { header: "start p99", align: "right" },
      { header: "start max", align: "right" },
      { header: "complete p50", align: "right" },
      { header: "complete p99", align: "right" },
      { header: "complete max", align: "right" },
      { header: "CPU/task", align: "right" },
    ],
    rows,
  );
}
