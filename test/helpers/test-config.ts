import type { Config } from "../../src/config/index.js";
import { loadConfig } from "../../src/config/index.js";

/** A config on port 0 everywhere, in `dataDir`, with short leases for tests. */
export function testConfig(dataDir: string, overrides: Record<string, string> = {}): Config {
  return loadConfig({
    cwd: dataDir,
    env: {},
    flags: {
      "data-dir": dataDir,
      "log-dir": dataDir,
      "gateway-port": "0",
      "coordinator-port": "0",
      "integration-port": "0",
      "orchestrator-port": "0",
      "coordinator-lease-ttl-ms": "1500",
      "coordinator-heartbeat-interval-ms": "300",
      "coordinator-retry-base-delay-ms": "50",
      "coordinator-retry-max-delay-ms": "200",
      ...Object.fromEntries(
        ["manager", "frontend", "backend", "database", "devops", "integration", "qa"].map((t) => [
          `${t}-agent-port`,
          "0",
        ]),
      ),
      ...overrides,
    },
  });
}
