import type { ErrorCode, JsonValue, TaskResult } from "../../domain/index.js";

/** A failed attempt's result; `output` keeps whatever the run produced before failing. */
export function taskFailure(
  code: ErrorCode,
  message: string,
  retryable: boolean,
  output: JsonValue = null,
): TaskResult {
  return { output, error: { code, message, retryable } };
}
