import { pino } from "pino";
import type { Config } from "../../src/config/index.js";
import { startCoordinator } from "../../src/coordinator/index.js";
import { CoordinatorServiceClient } from "../../src/gen/mcp/v1/coordinator.js";
import type { RunningComponent } from "../../src/lifecycle/index.js";
import {
  CLIENT_OPTIONS,
  insecure,
  type PromiseClient,
  promiseClient,
} from "../../src/rpc/index.js";
import { tempDir } from "./temp-dir.js";
import { testConfig } from "./test-config.js";

export interface CoordinatorHarness {
  config: Config;
  coordinator: RunningComponent;
  address: string;
  client: PromiseClient<CoordinatorServiceClient>;
  raw: CoordinatorServiceClient;
  /** Stops the coordinator and starts a new one on the same data folder and port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** A real coordinator in this process on port 0 with its own data folder, and a client. */
export async function startCoordinatorHarness(
  overrides: Record<string, string> = {},
): Promise<CoordinatorHarness> {
  const dir = tempDir("mcp-coord-");
  const config = testConfig(dir.path, overrides);
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  let coordinator = await startCoordinator(config, logger);
  config.ports.coordinator = coordinator.port;
  const address = `127.0.0.1:${coordinator.port}`;
  const raw = new CoordinatorServiceClient(address, insecure(), CLIENT_OPTIONS);
  const harness: CoordinatorHarness = {
    config,
    coordinator,
    address,
    raw,
    client: promiseClient(raw, 10_000),
    async restart() {
      await coordinator.close();
      coordinator = await startCoordinator(config, logger);
      harness.coordinator = coordinator;
    },
    async close() {
      raw.close();
      await coordinator.close();
      dir.remove();
    },
  };
  return harness;
}
