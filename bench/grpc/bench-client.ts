import type { GrpcLibrary } from "./bench-server.js";

/** What one streaming run achieved. */
export interface StreamRun {
  /** Messages received by the client: pushed assignments, or echoed replies. */
  messages: number;
  /** From the first frame written to the end of the response stream. */
  seconds: number;
}

/** A benchmark client of either library, connected to one server. */
export interface BenchClient {
  readonly library: GrpcLibrary;
  /** One GetTask call; rejects unless the response is the task asked for. */
  getTask(id: string): Promise<void>;
  /** Opens a Connect stream and receives frames of `batch` assignments for `durationMs`. */
  push(batch: number, durationMs: number): Promise<StreamRun>;
  /**
   * Opens a Connect stream and, for `durationMs`, sends frames of `batch` TaskFinished
   * messages, keeping `window` frames awaiting their answer (a frame of `batch` assignments).
   */
  echo(batch: number, window: number, durationMs: number): Promise<StreamRun>;
  close(): void;
}

/** A reply frame that is not what the protocol says is a broken run, not a slow one. */
export function checkFrame(library: GrpcLibrary, received: number, expected: number): void {
  if (received !== expected)
    throw new Error(`${library}: expected a frame of ${expected} messages, got ${received}`);
}
