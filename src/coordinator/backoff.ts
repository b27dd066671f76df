/**
 * Delay before the next attempt after `failures` failed ones: base doubling per failure,
 * capped, with up to 20% jitter so that many failing tasks do not retry in lockstep.
 */
export function retryDelayMs(
  failures: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  if (baseMs <= 0) return 0;
  const exponential = baseMs * 2 ** Math.max(0, failures - 1);
  const capped = Math.min(maxMs, exponential);
  return Math.round(capped * (0.8 + 0.2 * random()));
}
