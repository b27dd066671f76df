/**
 * Messages a child process sends its orchestrator over the IPC channel (process.send).
 * The orchestrator reads nothing else from a child but these and its log lines.
 */
export type ChildMessage =
  /** The component is listening on `port` and ready to serve. */
  | { type: "ready"; port: number }
  /** Starting failed; the child exits right after. */
  | { type: "failed"; message: string };

export function isChildMessage(value: unknown): value is ChildMessage {
  if (typeof value !== "object" || value === null) return false;
  const type = (value as { type?: unknown }).type;
  if (type === "ready") return typeof (value as { port?: unknown }).port === "number";
  if (type === "failed") return typeof (value as { message?: unknown }).message === "string";
  return false;
}
