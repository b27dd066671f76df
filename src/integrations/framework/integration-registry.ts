import { AppError } from "../../domain/index.js";
import type { Config } from "../../config/index.js";
import type { Logger } from "../../observability/index.js";
import type { IntegrationPlugin, IntegrationStatus } from "../integration.js";
import type { CallJournal } from "./call-journal.js";
import { IntegrationRuntime, type OperationInfo } from "./integration-runtime.js";
import { resolveSettings } from "./resolve-settings.js";

/** One integration with its current status, as the service reports it. */
export interface IntegrationInfo extends IntegrationStatus {
  name: string;
  description: string;
  operations: OperationInfo[];
}

/** The integrations a service offers, by name. */
export interface IntegrationRegistry {
  /** Every integration with its status, in registration order; a slow check is not waited past `waitMs`. */
  list(waitMs: number): Promise<IntegrationInfo[]>;
  /** One integration with its status. */
  describe(name: string, options: { refresh?: boolean; waitMs?: number }): Promise<IntegrationInfo>;
  /** The integration called `name`; throws not_found listing the known ones. */
  get(name: string): IntegrationRuntime;
  readonly names: readonly string[];
}

export interface RegistryOptions {
  config: Config["integrations"];
  env: Readonly<Record<string, string | undefined>>;
  logger: Logger;
  journal: CallJournal;
}

/** Builds one runtime per plugin. Names must be unique. */
export function createIntegrationRegistry(
  plugins: readonly IntegrationPlugin[],
  options: RegistryOptions,
): IntegrationRegistry {
  const { config } = options;
  const byName = new Map<string, IntegrationRuntime>();
  for (const plugin of plugins) {
    if (byName.has(plugin.name)) {
      throw AppError.invalidArgument(
        "integrations.plugins",
        `integration ${JSON.stringify(plugin.name)} is registered twice`,
      );
    }
    const resolved = resolveSettings(plugin, config.settings[plugin.name], options.env);
    const runtime = new IntegrationRuntime(
      plugin,
      resolved,
      {
        logger: options.logger.child({ integration: plugin.name }),
        allowPrivateNetworks: config.allowPrivateNetworks,
        allowedHosts: config.allowedHosts,
      },
      {
        journal: options.journal,
        retry: { maxRetries: config.retries, baseDelayMs: 250, maxDelayMs: config.retryMaxDelayMs },
        defaultTimeoutMs: config.callTimeoutMs,
        maxTimeoutMs: config.maxCallTimeoutMs,
        degradedLatencyMs: config.degradedLatencyMs,
        statusTtlMs: config.statusTtlMs,
        logger: options.logger,
      },
    );
    byName.set(plugin.name, runtime);
  }

  const get = (name: string): IntegrationRuntime => {
    const found = byName.get(name);
    if (!found) {
      const known = [...byName.keys()];
      throw new AppError(
        "not_found",
        `integration ${JSON.stringify(name)} does not exist; known integrations are ${known.join(", ") || "none"}`,
        { kind: "integration", id: name, valid: known },
      );
    }
    return found;
  };
  const info = async (
    runtime: IntegrationRuntime,
    statusOptions: { refresh?: boolean; waitMs?: number },
  ): Promise<IntegrationInfo> => ({
    name: runtime.name,
    description: runtime.description,
    operations: runtime.operations(),
    ...(await runtime.status(statusOptions)),
  });

  return {
    names: [...byName.keys()],
    list: (waitMs) => Promise.all([...byName.values()].map((r) => info(r, { waitMs }))),
    describe: (name, statusOptions) => info(get(name), statusOptions),
    get,
  };
}
