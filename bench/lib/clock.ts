/**
 * Milliseconds since the Unix epoch with sub-millisecond resolution, comparable across the
 * processes of one machine.
 *
 * `Date.now()` is whole milliseconds, too coarse for latencies of a few ms; `performance.now()`
 * alone is relative to each process's own start. The process's time origin is a wall-clock
 * reading taken once at start (microsecond resolution), and the offset from it is
 * monotonic, so a timestamp taken in one process can be subtracted from one taken in
 * another.
 */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}
