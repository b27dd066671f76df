import { ProcessState as WireProcessState } from "../gen/mcp/v1/orchestrator.js";

/** Where a supervised process is in its life, as `mcp-dist status` shows it. */
export const PROCESS_STATES = [
  "starting",
  "healthy",
  "restarting",
  "down",
  "given up",
  "stopping",
  "stopped",
] as const;

export type ProcessState = (typeof PROCESS_STATES)[number];

const TO_WIRE: Readonly<Record<ProcessState, WireProcessState>> = {
  starting: WireProcessState.PROCESS_STATE_STARTING,
  healthy: WireProcessState.PROCESS_STATE_HEALTHY,
  restarting: WireProcessState.PROCESS_STATE_RESTARTING,
  down: WireProcessState.PROCESS_STATE_DOWN,
  "given up": WireProcessState.PROCESS_STATE_GIVEN_UP,
  stopping: WireProcessState.PROCESS_STATE_STOPPING,
  stopped: WireProcessState.PROCESS_STATE_STOPPED,
};

/** The wire enum of a state. */
export function processStateToWire(state: ProcessState): WireProcessState {
  return TO_WIRE[state];
}

/** The label of a wire state; "unknown" for values this build does not know. */
export function processStateFromWire(state: WireProcessState): ProcessState | "unknown" {
  const found = PROCESS_STATES.find((s) => TO_WIRE[s] === state);
  return found ?? "unknown";
}
