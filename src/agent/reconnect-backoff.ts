export interface ReconnectBackoffOptions {
  /** Delay before the first retry. Default 100 ms. */
  initialMs?: number;
  /** Longest delay. Default 3000 ms. */
  maxMs?: number;
  /** Source of randomness in [0, 1); default Math.random (tests pass a seeded one). */
  random?: () => number;
}

/**
 * Capped exponential backoff with jitter: the ceiling doubles per failure up to `maxMs`, and
 * each delay is drawn from the upper half of it, so that agents restarted together do not
 * reconnect in lockstep yet never retry sooner than half the ceiling.
 */
export class ReconnectBackoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;
  private failures = 0;

  constructor(options: ReconnectBackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 100;
    this.maxMs = options.maxMs ?? 3_000;
    this.random = options.random ?? Math.random;
  }

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.failures, 30));
    this.failures += 1;
    return Math.round(ceiling / 2 + this.random() * (ceiling / 2));
  }

  /** After a success: the next failure starts from the initial delay again. */
  reset(): void {
    this.failures = 0;
  }
}
