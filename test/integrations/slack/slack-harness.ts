import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { loadConfig } from "../../../src/config/index.js";
import {
  createIntegrationRegistry,
  createMemoryCallJournal,
  type IntegrationRegistry,
} from "../../../src/integrations/index.js";
import { slackPlugin } from "../../../src/integrations/slack/index.js";
import { createLogger } from "../../../src/observability/index.js";
import type { FakeSlackServer } from "./fake-slack-server.js";

/** A unique token per run: it must never show in a result, an error or a log line. */
export const TOKEN = `xoxb-canary-${randomUUID()}`;

export type SlackIntegration = ReturnType<IntegrationRegistry["get"]>;

/** Everything the service logged in this test file. */
export const captured = { logs: "" };

/**
 * The slack integration as the service runs it (validation, deadlines, retries, journal,
 * redaction), configured from `env`, logging at debug level into `captured.logs`.
 */
export function slackWith(
  env: Record<string, string | undefined>,
  integrations: Record<string, unknown> = {},
): SlackIntegration {
  const config = loadConfig({
    env: {},
    flags: {},
    base: {
      integrations: { retryMaxDelayMs: 1_500, callTimeoutMs: 3_000, ...integrations },
    },
  });
  const logger = createLogger({
    process: "integration",
    level: "debug",
    destination: new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        captured.logs += chunk.toString();
        done();
      },
    }),
  });
  return createIntegrationRegistry([slackPlugin], {
    config: config.integrations,
    env,
    logger,
    journal: createMemoryCallJournal(),
  }).get("slack");
}

/** The slack integration pointed at `server` with the token it accepts. */
export function slackAt(
  server: FakeSlackServer,
  integrations: Record<string, unknown> = {},
): SlackIntegration {
  return slackWith(server.env(), integrations);
}
