export { CHILD_CONFIG_ENV } from "./child-env.js";
export type { ComponentKind } from "./child-spec.js";
export { LogSink, type LogSinkOptions } from "./log-sink.js";
export { Orchestrator, type OrchestratorOptions, SYSTEM_LOG_FILE } from "./orchestrator.js";
export {
  PROCESS_STATES,
  type ProcessState,
  processStateFromWire,
  processStateToWire,
} from "./process-state.js";
export { startOrchestrator } from "./start-orchestrator.js";
export {
  isProcessAlive,
  type OrchestratorStateInfo,
  readStateFile,
  stateFilePath,
} from "./state-file.js";
