import type { AppError } from "../../domain/index.js";
import { remoteFailureOf } from "./remote-errors.js";

/** How a failed remote call is tried again. */
export interface RetryPolicy {
  /** Retries after the first try. */
  maxRetries: number;
  /** Wait before the first retry when the remote gave no Retry-After; doubles each retry. */
  baseDelayMs: number;
  /** Longest wait, whatever Retry-After asks. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
};

/**
 * Runs `attempt` until it succeeds, fails for a reason a retry cannot fix, or the retries or
 * the deadline run out. A rate-limited call is always retried (the remote did nothing), after
 * the remote's Retry-After when it is within `maxDelayMs` (a longer one ends the retries: it
 * is honoured, never shortened), else after a doubling backoff capped there; an unavailable remote is retried only
 * when `retryUnavailable` (calls without side effects). Returns the result and the number of
 * tries it took.
 */
export async function runWithRetry<T>(
  attempt: () => Promise<T>,
  options: {
    policy: RetryPolicy;
    retryUnavailable: boolean;
    deadline: number;
    signal: AbortSignal;
    normalise: (error: unknown) => AppError;
  },
): Promise<{ value: T; tries: number }> {
  const { policy } = options;
  for (let tries = 1; ; tries++) {
    try {
      return { value: await attempt(), tries };
    } catch (thrown) {
      const error = options.normalise(thrown);
      const reason = remoteFailureOf(error);
      const retryable =
        reason === "rate_limited" || (reason === "unavailable" && options.retryUnavailable);
      if (!retryable || tries > policy.maxRetries || options.signal.aborted) throw error;
      const asked = error.details.retry_after_ms;
      // Retry-After is honoured, never shortened: a wait longer than the cap ends the retries
      // and the caller is told how long to wait.
      if (typeof asked === "number" && asked > policy.maxDelayMs) throw error;
      const backoff = Math.min(policy.baseDelayMs * 2 ** (tries - 1), policy.maxDelayMs);
      const wait = typeof asked === "number" ? asked : backoff;
      if (Date.now() + wait >= options.deadline) throw error;
      await sleep(wait, options.signal);
      if (options.signal.aborted) throw error;
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
