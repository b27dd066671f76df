import type { Config } from "../config/index.js";
import { IntegrationServiceService } from "../gen/mcp/v1/integration.js";
import type { RunningComponent } from "../lifecycle/index.js";
import type { Logger } from "../observability/index.js";
import { startGrpcServer } from "../rpc/index.js";
import type { Integration } from "./integration.js";
import { createIntegrationRegistry } from "./integration-registry.js";
import { createIntegrationService } from "./integration-service.js";

/** Options beyond the configuration. */
export interface IntegrationServiceOptions {
  /** The plugins to offer. Default: none (no integration is built in yet). */
  integrations?: readonly Integration[];
  /** How long close() lets running calls finish. Default 5000 ms. */
  closeGraceMs?: number;
}

/**
 * Serves IntegrationService and grpc.health.v1 on `config.host:config.ports.integration`.
 */
export async function startIntegrationService(
  config: Config,
  logger: Logger,
  options: IntegrationServiceOptions = {},
): Promise<RunningComponent> {
  const registry = createIntegrationRegistry(options.integrations ?? []);
  const server = await startGrpcServer({
    host: config.host,
    port: config.ports.integration,
    services: [
      { definition: IntegrationServiceService, implementation: createIntegrationService(registry) },
    ],
  });
  const names = (await registry.list()).map((i) => i.name);
  logger.info({ port: server.port, integrations: names }, "integration service listening");
  return {
    port: server.port,
    async close() {
      await server.close(options.closeGraceMs ?? 5_000);
      logger.info("integration service stopped");
    },
  };
}
