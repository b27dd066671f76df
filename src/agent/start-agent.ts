import type { RunningComponent } from "../lifecycle/index.js";
import type { Logger } from "../observability/index.js";
import { Agent } from "./agent.js";
import { type AgentOptions, validateAgentOptions } from "./agent-options.js";

/**
 * Starts an agent: validates `options` (throwing an `invalid_argument` AppError naming the bad
 * option), serves its AgentService, and keeps a stream to the coordinator, reconnecting until
 * close(). close() is the graceful stop (see Agent.close).
 */
export async function startAgent(options: AgentOptions, logger: Logger): Promise<RunningComponent> {
  const agent = new Agent(validateAgentOptions(options), logger);
  const port = await agent.start();
  return { port, close: () => agent.close() };
}
