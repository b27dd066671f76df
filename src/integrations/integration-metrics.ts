import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { AppError } from "../domain/index.js";
import { remoteFailureOf } from "./framework/remote-errors.js";
import { INTEGRATION_STATES, type IntegrationStatus } from "./integration.js";

/**
 * The integration service's Prometheus metrics: calls by integration, operation and outcome
 * ("ok", the remote failure such as rate_limited, not_configured, or else the error code),
 * their durations, and
 * each integration's last known state (one series per state, 1 for the current one).
 */
export class IntegrationMetrics {
  readonly registry = new Registry();
  private readonly calls = new Counter({
    name: "mcp_integration_calls_total",
    help: "Integration calls by integration, operation and outcome (ok or why it failed).",
    labelNames: ["integration", "operation", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: "mcp_integration_call_duration_seconds",
    help: "Time from receiving an integration call to answering it, retries included.",
    labelNames: ["integration", "operation"] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
    registers: [this.registry],
  });
  private readonly state = new Gauge({
    name: "mcp_integration_state",
    help: "1 for an integration's current state (not_configured, healthy, degraded, down), 0 for the others.",
    labelNames: ["integration", "state"] as const,
    registers: [this.registry],
  });

  /** Records one call that took `seconds`; `error` is undefined when it succeeded. */
  recordCall(integration: string, operation: string, seconds: number, error?: AppError): void {
    const outcome =
      error === undefined
        ? "ok"
        : (remoteFailureOf(error) ??
          (error.details.reason === "not_configured" ? "not_configured" : error.code));
    this.calls.inc({ integration, operation, outcome });
    this.duration.observe({ integration, operation }, seconds);
  }

  /** The exposition text, with the states as they stand. */
  async render(
    states: ReadonlyArray<{ name: string; state: IntegrationStatus["state"] | null }>,
  ): Promise<string> {
    this.state.reset();
    for (const { name, state } of states) {
      // Not checked yet: no state to report.
      if (state === null) continue;
      for (const candidate of INTEGRATION_STATES) {
        this.state.set({ integration: name, state: candidate }, candidate === state ? 1 : 0);
      }
    }
    return this.registry.metrics();
  }
}
