import type { Config } from "../config/index.js";
import type { RunningComponent } from "../lifecycle/index.js";
import type { Logger } from "../observability/index.js";
import { Gateway } from "./gateway.js";

/**
 * Starts the REST gateway on `config.host:config.ports.gateway` (0 picks a free port). It needs
 * no coordinator to start: until one answers, API calls get 503 naming its address.
 */
export async function startGateway(config: Config, logger: Logger): Promise<RunningComponent> {
  const gateway = new Gateway(config, logger);
  const port = await gateway.start();
  return { port, close: () => gateway.close() };
}
