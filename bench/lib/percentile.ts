/**
 * The nearest-rank percentile of values sorted in ascending order: the smallest value such
 * that at least `fraction` of all values are at or below it. `fraction` is in (0, 1];
 * an empty input gives NaN.
 */
export function percentile(sortedAscending: ArrayLike<number>, fraction: number): number {
  if (!(fraction > 0 && fraction <= 1))
    throw new RangeError(`fraction must be in (0, 1], got ${fraction}`);
  if (sortedAscending.length === 0) return Number.NaN;
  const rank = Math.ceil(fraction * sortedAscending.length);
  return sortedAscending[Math.min(rank, sortedAscending.length) - 1] as number;
}
