import type { LatencySummary } from "./latency-summary.js";

/**
 * What a dispatch benchmark reports for one system (ours or a peer such as BullMQ) after
 * draining a fixed number of no-op tasks, so that systems can be compared within one run.
 */
export interface PeerResult {
  /** Tasks divided by the time from the first submission to the last recorded completion. */
  tasksPerSecond: number;
  /** From the moment a task was submitted to the moment a worker started running it. */
  submitToStart: LatencySummary;
  /** From the moment a task was submitted to the moment its completion was recorded. */
  submitToComplete: LatencySummary;
  /** The highest resident set size any single worker process reached during the run. */
  workerPeakRssBytes: number;
}
