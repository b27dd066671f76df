/** Milliseconds since the epoch as ISO-8601. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** 0 (proto's "unset") becomes null. */
export function isoTimeOrNull(ms: number): string | null {
  return ms === 0 ? null : new Date(ms).toISOString();
}

/** "" (proto's "unset") becomes null. */
export function stringOrNull(value: string): string | null {
  return value === "" ? null : value;
}
