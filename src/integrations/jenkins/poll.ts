import type { OperationCall } from "../integration.js";
import { parseRetryAfter } from "../framework/remote-errors.js";
import { JenkinsHttpError } from "./errors.js";

/** Waits `ms`, or rejects with the signal's reason as soon as it is aborted. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * One read while following a build that was already triggered. A transient answer (a proxy's
 * 429, Jenkins restarting with 503) must not fail the call: the runtime would retry a
 * rate-limited call whole and trigger a second build. So it waits (the Retry-After, at least
 * the poll interval) and reads again, until the call's deadline aborts it.
 */
export async function pollRead<T>(
  read: () => Promise<T>,
  intervalMs: number,
  call: OperationCall,
): Promise<T> {
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof JenkinsHttpError) || !error.transient) throw error;
      const asked = parseRetryAfter(error.failure.retryAfter) ?? 0;
      const waitMs = Math.max(asked, intervalMs);
      call.logger.info(
        { status: error.failure.status, wait_ms: waitMs },
        "jenkins answered a poll with a transient error; polling again",
      );
      await sleep(waitMs, call.signal);
    }
  }
}
