/** Number formatting shared by the benchmarks, so that every table reads the same way. */

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** A count or rate with thousands separators, no decimals: 7826.4 -> "7,826". */
export function formatCount(value: number): string {
  return Number.isFinite(value) ? grouped.format(value) : "-";
}

/** A rate per second: 7826.4 -> "7,826/s". */
export function formatRate(perSecond: number): string {
  return Number.isFinite(perSecond) ? `${formatCount(perSecond)}/s` : "-";
}

/** A duration in milliseconds with precision that suits its size: 0.42 ms, 4.6 ms, 71 ms. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "-";
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  return `${formatCount(ms)} ms`;
}

/** A byte count in binary units: 73400320 -> "70.0 MiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "-";
  const units = ["B", "KiB", "MiB", "GiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}
