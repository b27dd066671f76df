/** When and whether to restart a child that exited on its own. */
export interface RestartBackoffOptions {
  /** First delay; doubles per crash. */
  initialDelayMs: number;
  /** Cap of the delay. */
  maxDelayMs: number;
  /** A run at least this long resets the delay to `initialDelayMs`. */
  stableAfterMs: number;
  /** Crashes tolerated within `windowMs`; one more and the child is given up. */
  maxRestarts: number;
  windowMs: number;
}

/** What to do after a crash. */
export type RestartDecision =
  { kind: "restart"; delayMs: number } | { kind: "give_up"; crashesInWindow: number };

/**
 * Exponential restart backoff with a crash budget per window, like systemd's
 * RestartSec/StartLimitBurst. One instance per supervised child.
 */
export class RestartBackoff {
  private readonly crashes: number[] = [];
  private nextDelayMs: number;

  constructor(private readonly options: RestartBackoffOptions) {
    this.nextDelayMs = options.initialDelayMs;
  }

  /** Records a crash at `nowMs` of a run that had lasted `uptimeMs`, and decides. */
  onCrash(nowMs: number, uptimeMs: number): RestartDecision {
    const { initialDelayMs, maxDelayMs, stableAfterMs, maxRestarts, windowMs } = this.options;
    // A child that ran stably before crashing is healthy software hit by a one-off: start over.
    if (uptimeMs >= stableAfterMs) this.nextDelayMs = initialDelayMs;
    this.crashes.push(nowMs);
    while (this.crashes.length > 0 && (this.crashes[0] as number) <= nowMs - windowMs)
      this.crashes.shift();
    if (this.crashes.length > maxRestarts)
      return { kind: "give_up", crashesInWindow: this.crashes.length };
    const delayMs = Math.min(this.nextDelayMs, maxDelayMs);
    this.nextDelayMs = Math.min(Math.max(delayMs * 2, 1), maxDelayMs);
    return { kind: "restart", delayMs };
  }
}
