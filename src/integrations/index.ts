export type {
  IntegrationPlugin,
  IntegrationState,
  IntegrationStatus,
  Operation,
  OperationCall,
  PluginContext,
  SettingSpec,
  Settings,
} from "./integration.js";
export { INTEGRATION_STATES, defineOperation, definePlugin } from "./integration.js";
export type { IntegrationInfo, IntegrationRegistry } from "./framework/integration-registry.js";
export { createIntegrationRegistry } from "./framework/integration-registry.js";
export { createMemoryCallJournal } from "./framework/call-journal.js";
export { remoteError, remoteErrorOfStatus, parseRetryAfter } from "./framework/remote-errors.js";
export type { RemoteFailure } from "./framework/remote-errors.js";
export type { IntegrationServiceOptions } from "./start-integration-service.js";
export { startIntegrationService } from "./start-integration-service.js";
