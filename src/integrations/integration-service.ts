import type { IntegrationServiceServer } from "../gen/mcp/v1/integration.js";
import { unary } from "../rpc/index.js";
import type { IntegrationRegistry } from "./integration-registry.js";

/** The gRPC IntegrationService over a registry. */
export function createIntegrationService(registry: IntegrationRegistry): IntegrationServiceServer {
  return {
    listIntegrations: unary(async () => {
      const integrations = await registry.list();
      return {
        integrations: integrations.map((i) => ({
          name: i.name,
          state: i.state,
          message: i.message,
          operations: i.operations,
        })),
      };
    }),
  };
}
