import type { ComponentKind } from "./child-spec.js";
import type { ProcessState } from "./process-state.js";

/** A child as status reports it. */
export interface ChildSnapshot {
  name: string;
  component: ComponentKind;
  /** 0 when no process runs. */
  pid: number;
  port: number;
  state: ProcessState;
  /** When the current (or last) process was spawned; 0 if never. */
  startedAtMs: number;
  restarts: number;
  lastExit: string;
  message: string;
}
