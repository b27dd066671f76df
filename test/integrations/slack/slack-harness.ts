import { testRegistry } from "../framework/test-registry.js";
import { randomUUID } from "node:crypto";
import { type IntegrationRegistry } from "../../../src/integrations/index.js";
import { slackPlugin } from "../../../src/integrations/slack/index.js";
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
  return testRegistry([slackPlugin], env, (line) => (captured.logs += line), {
    retryMaxDelayMs: 1_500,
    ...integrations,
  }).get("slack");
}

/** The slack integration pointed at `server` with the token it accepts. */
export function slackAt(
  server: FakeSlackServer,
  integrations: Record<string, unknown> = {},
): SlackIntegration {
  return slackWith(server.env(), integrations);
}
