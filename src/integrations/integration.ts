/** How an outside system looks from here right now. */
export const INTEGRATION_STATES = ["not_configured", "healthy", "degraded", "down"] as const;

export type IntegrationState = (typeof INTEGRATION_STATES)[number];

/** What an integration reports about itself. */
export interface IntegrationStatus {
  state: IntegrationState;
  /** Why it is in that state, e.g. "SLACK_BOT_TOKEN is not set". Empty when healthy. */
  message: string;
}

/**
 * One outside system the integration service acts on (Slack, GitHub, AWS, ...). Each lives in
 * its own file or folder and is handed to the service in its plugin list; the service knows
 * nothing about any of them beyond this interface.
 */
export interface Integration {
  /** Unique, lower case, e.g. "slack". */
  readonly name: string;
  /** Operations it offers, e.g. ["send_message"]. */
  readonly operations: readonly string[];
  /** Its current state; must not throw (a failure to find out is itself "down"). */
  status(): Promise<IntegrationStatus>;
}
