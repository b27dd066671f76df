import type { LatencySummary } from "./latency-summary.js";
import type { OpenLoopResult } from "./open-loop.js";

/**
 * What a dispatch benchmark reports for one system (ours or a peer such as BullMQ) after
 * submitting no-op tasks at a fixed rate for a fixed time and waiting for all of them, so
 * that systems can be compared within one run.
 */
export interface OpenLoopPeerResult {
  /** The rate asked for, tasks per second. */
  targetRate: number;
  /** How the submission kept to the schedule (achieved rate, lag, call durations). */
  pacing: OpenLoopResult;
  /** From the submission call of a task to the moment a worker started running it. */
  submitToStart: LatencySummary;
  /** From the submission call of a task to the moment its completion was recorded. */
  submitToComplete: LatencySummary;
  /** From the first submission to the last recorded completion. */
  drainSeconds: number;
  /**
   * CPU time (user + system) per task, in microseconds, of every process of the system under
   * test (not of the benchmark's own client), from the first submission until all were done.
   * NaN when a process could not be read.
   */
  cpuUsPerTask: number;
}
