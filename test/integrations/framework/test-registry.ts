import { Writable } from "node:stream";
import { loadConfig } from "../../../src/config/index.js";
import {
  createIntegrationRegistry,
  createMemoryCallJournal,
  type IntegrationPlugin,
  type IntegrationRegistry,
} from "../../../src/integrations/index.js";
import { createLogger } from "../../../src/observability/index.js";

/**
 * A registry built as the integration service builds it (validation, deadlines, retries,
 * journal, redaction) for `plugins`, with `env` as the environment and short limits so failure
 * paths are quick (`integrations` overrides them). Every line it logs, at debug level, is
 * passed to `log`, so tests can prove a secret never reaches the logs.
 */
export function testRegistry(
  plugins: readonly IntegrationPlugin[],
  env: Record<string, string | undefined>,
  log: (line: string) => void,
  integrations: Record<string, unknown> = {},
): IntegrationRegistry {
  const config = loadConfig({
    env: {},
    flags: {},
    base: {
      integrations: {
        retryMaxDelayMs: 2_000,
        degradedLatencyMs: 1_000,
        callTimeoutMs: 3_000,
        ...integrations,
      },
    },
  });
  const logger = createLogger({
    process: "integration",
    level: "debug",
    destination: new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        log(chunk.toString());
        done();
      },
    }),
  });
  return createIntegrationRegistry(plugins, {
    config: config.integrations,
    env,
    logger,
    journal: createMemoryCallJournal(),
  });
}
