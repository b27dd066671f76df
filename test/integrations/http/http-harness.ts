import { isIP } from "node:net";
import { Writable } from "node:stream";
import { loadConfig } from "../../../src/config/index.js";
import {
  createIntegrationRegistry,
  createMemoryCallJournal,
} from "../../../src/integrations/index.js";
import type { IntegrationRuntime } from "../../../src/integrations/framework/integration-runtime.js";
import { createHttpPlugin, type HostResolver } from "../../../src/integrations/http/index.js";
import { createLogger } from "../../../src/observability/index.js";

/** Test host names and the addresses the test resolver gives them. */
export const TEST_HOSTS: Readonly<Record<string, readonly string[]>> = {
  "api.test": ["127.0.0.1"],
  "other.test": ["127.0.0.1"],
  "loopback.test": ["127.0.0.1"],
  "v6loopback.test": ["::1"],
  "private.test": ["10.0.0.7"],
  "private172.test": ["172.16.5.4"],
  "home.test": ["192.168.1.1"],
  "cgnat.test": ["100.64.0.1"],
  "linklocal.test": ["169.254.1.1"],
  "metadata.test": ["169.254.169.254"],
  "ecs-credentials.test": ["169.254.170.2"],
  "ec2v6.test": ["fd00:ec2::254"],
  "ula.test": ["fd12:3456::1"],
  "mapped.test": ["::ffff:127.0.0.1"],
  "nat64.test": ["64:ff9b::a00:1"],
  "sixtofour.test": ["2002:a9fe:a9fe::1"],
  "zero.test": ["0.0.0.0"],
  "multicast.test": ["224.0.0.251"],
  // A public address first and loopback second: one forbidden address refuses the name.
  "mixed.test": ["93.184.216.34", "127.0.0.1"],
};

/**
 * The resolver the tests inject: their names, never the system's, and ENOTFOUND for the
 * rest (no test reaches the internet). It counts lookups per name.
 */
export function testResolver(lookups: Map<string, number> = new Map()): HostResolver {
  return async (hostname) => {
    lookups.set(hostname, (lookups.get(hostname) ?? 0) + 1);
    const addresses = TEST_HOSTS[hostname.replace(/\.$/, "")];
    if (addresses === undefined)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return addresses.map((address) => ({ address, family: isIP(address) }));
  };
}

export interface HarnessOptions {
  allowedHosts?: string[];
  allowPrivateNetworks?: boolean;
  resolve?: HostResolver;
  /** Other `integrations` config values (retries, callTimeoutMs...). */
  integrations?: Record<string, unknown>;
}

/** The http integration through the whole framework, with what it logged. */
export interface Harness {
  http: IntegrationRuntime;
  logs: () => string;
}

export function httpHarness(options: HarnessOptions = {}): Harness {
  let logs = "";
  const config = loadConfig({
    env: {},
    flags: {},
    base: {
      integrations: {
        retryMaxDelayMs: 1_000,
        callTimeoutMs: 5_000,
        allowedHosts: options.allowedHosts ?? [],
        allowPrivateNetworks: options.allowPrivateNetworks ?? false,
        ...options.integrations,
      },
    },
  });
  const logger = createLogger({
    process: "integration",
    level: "debug",
    destination: new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        logs += chunk.toString();
        done();
      },
    }),
  });
  const plugin = createHttpPlugin({ resolve: options.resolve ?? testResolver() });
  const registry = createIntegrationRegistry([plugin], {
    config: config.integrations,
    env: {},
    logger,
    journal: createMemoryCallJournal(),
  });
  return { http: registry.get("http"), logs: () => logs };
}
