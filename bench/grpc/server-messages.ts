/**
 * IPC between the benchmark and a forked benchmark server process, beyond the project's
 * `ChildMessage` ("ready" with the port), which the server sends first.
 */

/** Parent -> server: report your CPU time. */
export interface CpuQuery {
  type: "cpu?";
}

/** Server -> parent: CPU time used so far (user + system), in microseconds. */
export interface CpuReport {
  type: "cpu";
  micros: number;
}

export function isCpuQuery(value: unknown): value is CpuQuery {
  return (
    typeof value === "object" && value !== null && (value as { type?: unknown }).type === "cpu?"
  );
}

export function isCpuReport(value: unknown): value is CpuReport {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { type?: unknown }).type === "cpu" &&
    typeof (value as { micros?: unknown }).micros === "number"
  );
}
