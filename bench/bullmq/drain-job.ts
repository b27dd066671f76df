/** The data of each benchmark job: which one it is and when it was submitted. */
export interface DrainJobData {
  /** 0-based index of the job in the run, to detect losses and duplicates. */
  index: number;
  /** When the parent submitted the job (epoch ms, sub-ms resolution; see `epochMs`). */
  submittedAtMs: number;
}

/** Name of every benchmark job (BullMQ requires one; the processor ignores it). */
export const DRAIN_JOB_NAME = "noop";
