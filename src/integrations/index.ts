export type { Integration, IntegrationState, IntegrationStatus } from "./integration.js";
export { INTEGRATION_STATES } from "./integration.js";
export type { IntegrationInfo, IntegrationRegistry } from "./integration-registry.js";
export { createIntegrationRegistry } from "./integration-registry.js";
export type { IntegrationServiceOptions } from "./start-integration-service.js";
export { startIntegrationService } from "./start-integration-service.js";
