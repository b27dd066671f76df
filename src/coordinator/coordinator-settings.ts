import type { Config } from "../config/index.js";

/** The coordinator's tunables, resolved from the config. */
export interface CoordinatorSettings {
  /** How long an assignment lasts without a heartbeat. */
  leaseTtlMs: number;
  /** How often agents are told to heartbeat. */
  heartbeatIntervalMs: number;
  /** A stream agent silent this long is offline and its stream is closed. */
  agentSilenceMs: number;
  /** A pull worker not heard from this long is shown offline. */
  workerSilenceMs: number;
  maxAttempts: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  idempotencyTtlMs: number;
  /** How often leases and liveness are checked. */
  sweepIntervalMs: number;
}

export function settingsFromConfig(config: Config): CoordinatorSettings {
  const c = config.coordinator;
  // At least three heartbeats fit in a lease, and an agent is declared silent after missing
  // three: never later than its leases expire, so their tasks do not go back to it.
  const heartbeatIntervalMs = Math.min(c.heartbeatIntervalMs, Math.floor(c.leaseTtlMs / 3));
  return {
    leaseTtlMs: c.leaseTtlMs,
    heartbeatIntervalMs,
    agentSilenceMs: 3 * heartbeatIntervalMs,
    workerSilenceMs: 3 * c.leaseTtlMs,
    maxAttempts: c.maxAttempts,
    retryBaseDelayMs: c.retryBaseDelayMs,
    retryMaxDelayMs: c.retryMaxDelayMs,
    idempotencyTtlMs: c.idempotencyTtlMs,
    sweepIntervalMs: Math.max(50, Math.min(1_000, Math.floor(c.leaseTtlMs / 4))),
  };
}
