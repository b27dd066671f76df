import { percentile } from "./percentile.js";

/** Percentiles of a set of latencies, in milliseconds. */
export interface LatencySummary {
  /** How many latencies were summarized. */
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Summarizes latencies in milliseconds (any order; the input is not modified). */
export function summarizeLatencies(valuesMs: Iterable<number>): LatencySummary {
  // A typed array sorts numerically and in place without boxing, which matters at 10^5+ values.
  const sorted = Float64Array.from(valuesMs).sort();
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] as number),
  };
}
