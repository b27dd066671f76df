/**
 * What the parent and its forked BullMQ worker processes say to each other over IPC.
 * Everything is plain JSON (the default "json" serialization of child_process.fork).
 */

/** Parent -> worker. */
export type ToWorker =
  /** Start consuming `queueName`. */
  | { type: "start"; queueName: string; redisUrl: string; concurrency: number }
  /** Everything is done: close the BullMQ worker, report the peak RSS, then exit. */
  | { type: "stop" };

/** Worker -> parent. */
export type FromWorker =
  /** The BullMQ worker is connected and consuming. */
  | { type: "ready" }
  /**
   * Completed jobs since the last report, flattened as
   * `[index, submittedAtMs, startedAtMs, completedAtMs, index, ...]` to keep IPC cheap.
   */
  | { type: "completed"; records: number[] }
  /** Sent once, after the worker closed. */
  | { type: "stopped"; peakRssBytes: number }
  /** A job failed or the worker hit an error; the run is invalid. */
  | { type: "error"; message: string };

/** Numbers per completed job in a `completed` report. */
export const RECORD_WIDTH = 4;

function hasType(value: unknown): value is { type: unknown } {
  return typeof value === "object" && value !== null && "type" in value;
}

export function isToWorker(value: unknown): value is ToWorker {
  if (!hasType(value)) return false;
  return value.type === "start" || value.type === "stop";
}

export function isFromWorker(value: unknown): value is FromWorker {
  if (!hasType(value)) return false;
  return (
    value.type === "ready" ||
    value.type === "completed" ||
    value.type === "stopped" ||
    value.type === "error"
  );
}
