import type { Config } from "../config/index.js";
import type { Logger } from "../observability/index.js";
import { Orchestrator, type OrchestratorOptions } from "./orchestrator.js";

/**
 * Starts the whole system and resolves once every child is healthy or given up. If starting
 * fails, whatever was started is stopped before the error is rethrown.
 */
export async function startOrchestrator(
  config: Config,
  logger: Logger,
  options: OrchestratorOptions = {},
): Promise<Orchestrator> {
  const orchestrator = new Orchestrator(config, logger, options);
  try {
    await orchestrator.start();
  } catch (error) {
    await orchestrator.forceClose();
    throw error;
  }
  return orchestrator;
}
