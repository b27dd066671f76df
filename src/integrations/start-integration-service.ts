import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config/index.js";
import { IntegrationServiceService } from "../gen/mcp/v1/integration.js";
import type { RunningComponent } from "../lifecycle/index.js";
import type { Logger } from "../observability/index.js";
import { startGrpcServer } from "../rpc/index.js";
import { BUILT_IN_PLUGINS } from "./built-in-plugins.js";
import {
  type CallJournal,
  createMemoryCallJournal,
  createSqliteCallJournal,
} from "./framework/call-journal.js";
import { createIntegrationRegistry } from "./framework/integration-registry.js";
import { loadUserPlugins } from "./framework/load-plugins.js";
import type { IntegrationPlugin } from "./integration.js";
import { createIntegrationService } from "./integration-service.js";

/** Options beyond the configuration. */
export interface IntegrationServiceOptions {
  /** The plugins to offer instead of the built-in ones (users' plugins from the config are added). */
  plugins?: readonly IntegrationPlugin[];
  /** Where settings' environment variables are read. Default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Folder users' plugin paths are relative to. Default the working folder. */
  cwd?: string;
  /** Keep the idempotency journal in memory instead of the data folder. */
  inMemoryJournal?: boolean;
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
  const userPlugins = await loadUserPlugins(
    config.integrations.plugins,
    options.cwd ?? process.cwd(),
  );
  const journal = openJournal(config, options);
  const registry = createIntegrationRegistry(
    [...(options.plugins ?? BUILT_IN_PLUGINS), ...userPlugins],
    { config: config.integrations, env: options.env ?? process.env, logger, journal },
  );
  const server = await startGrpcServer({
    host: config.host,
    port: config.ports.integration,
    services: [
      { definition: IntegrationServiceService, implementation: createIntegrationService(registry) },
    ],
  });
  const runtimes = registry.names.map((name) => registry.get(name));
  logger.info(
    {
      port: server.port,
      configured: runtimes.filter((r) => r.configured).map((r) => r.name),
      // What an operator would set to turn each of the others on.
      notConfigured: Object.fromEntries(
        runtimes.filter((r) => !r.configured).map((r) => [r.name, r.missingVariables]),
      ),
    },
    "integration service listening",
  );
  return {
    port: server.port,
    async close() {
      await server.close(options.closeGraceMs ?? 5_000);
      journal.close();
      logger.info("integration service stopped");
    },
  };
}

function openJournal(config: Config, options: IntegrationServiceOptions): CallJournal {
  if (options.inMemoryJournal === true) return createMemoryCallJournal();
  mkdirSync(config.dataDir, { recursive: true });
  return createSqliteCallJournal(
    join(config.dataDir, "integration-calls.sqlite"),
    config.integrations.idempotencyRetentionMs,
  );
}
