import { epochMs } from "./clock.js";
import { type LatencySummary, summarizeLatencies } from "./latency-summary.js";

/** Time as the pacer sees it; the real one unless a test supplies its own. */
export interface OpenLoopClock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  /** Resolves after `ms` milliseconds (or at once for `ms <= 0`). */
  sleep(ms: number): Promise<void>;
}

/** Options of one open-loop submission run. */
export interface OpenLoopOptions {
  /** Target submissions per second (> 0). */
  rate: number;
  /** How long to submit for, in seconds (> 0). `rate * seconds` tasks are submitted in all. */
  seconds: number;
  /** Interval between submission calls in milliseconds. Default 10. */
  tickMs?: number;
  /**
   * Most tasks in one call. A call that carries a backlog (after a slow call) is split into
   * calls of at most this many, made back to back. Default: unlimited.
   */
  maxPerCall?: number;
  /**
   * Submits tasks `first` to `first + count - 1` in one call; resolves once the system has
   * acknowledged them. The pacer never has two calls in flight.
   */
  submit(first: number, count: number): Promise<void>;
  /** Aborts the run between calls; the pacer rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Default: `epochMs()` and `setTimeout`. */
  clock?: OpenLoopClock;
}

/** What the pacer achieved. */
export interface OpenLoopResult {
  /** Tasks submitted: `round(rate * seconds)`. */
  tasks: number;
  calls: number;
  /** From the first call to the return of the last one. */
  submitSeconds: number;
  /**
   * Tasks per second over the submission window: the nominal `seconds`, or longer when the
   * last call returned after it. At most the target rate, below it when calls fell behind.
   */
  achievedRate: number;
  /** Calls that started more than one tick after their first task was due. */
  lateCalls: number;
  /** The furthest any call started behind the time its first task was due. */
  maxLagMs: number;
  /** Duration of the submission calls (from the call to its acknowledgement). */
  callLatency: LatencySummary;
}

const realClock: OpenLoopClock = {
  now: epochMs,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * Submits at a fixed rate for a fixed time (an open loop: the schedule does not wait for
 * tasks to finish, only for each submission call to be acknowledged).
 *
 * Task `i` is due at `i / rate` seconds; every tick, one call submits every task due before
 * the next tick. When a call returns late, the next call starts at once with everything due
 * by then (catching up rather than sleeping), so the load is kept as long as the system can
 * keep up, and the achieved rate and lag show when it could not.
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const tickMs = options.tickMs ?? 10;
  const maxPerCall = options.maxPerCall ?? Number.POSITIVE_INFINITY;
  if (!(options.rate > 0) || !(options.seconds > 0) || !(tickMs > 0) || !(maxPerCall >= 1)) {
    throw new RangeError(
      `rate, seconds, tickMs must be > 0 and maxPerCall >= 1, got ${options.rate}, ${options.seconds}, ${tickMs}, ${maxPerCall}`,
    );
  }
  const clock = options.clock ?? realClock;
  const tasks = Math.round(options.rate * options.seconds);
  const perMs = options.rate / 1000;
  // Tasks due before the end of tick `k`: those with i / perMs < (k + 1) * tickMs.
  const dueBy = (tick: number) => Math.min(tasks, Math.ceil((tick + 1) * tickMs * perMs));
  const tickOf = (task: number) => Math.floor(task / perMs / tickMs);
  const callMs: number[] = [];
  let submitted = 0;
  let lateCalls = 0;
  let maxLagMs = 0;
  const startedAt = clock.now();
  let lastReturn = startedAt;
  while (submitted < tasks) {
    options.signal?.throwIfAborted();
    const elapsed = clock.now() - startedAt;
    const tick = Math.floor(elapsed / tickMs);
    const due = dueBy(tick);
    if (due <= submitted) {
      await clock.sleep((tick + 1) * tickMs - elapsed);
      continue;
    }
    const lag = elapsed - tickOf(submitted) * tickMs;
    if (lag > tickMs) lateCalls += 1;
    maxLagMs = Math.max(maxLagMs, lag);
    const count = Math.min(due - submitted, maxPerCall);
    const callStart = clock.now();
    await options.submit(submitted, count);
    lastReturn = clock.now();
    callMs.push(lastReturn - callStart);
    submitted += count;
  }
  const windowMs = Math.max(options.seconds * 1000, lastReturn - startedAt);
  return {
    tasks,
    calls: callMs.length,
    submitSeconds: (lastReturn - startedAt) / 1000,
    achievedRate: tasks / (windowMs / 1000),
    lateCalls,
    maxLagMs,
    callLatency: summarizeLatencies(callMs),
  };
}
