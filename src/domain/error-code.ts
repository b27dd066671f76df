/**
 * The closed set of error codes. Aligned with gRPC status codes (plus `payload_too_large`,
 * which HTTP needs); mapped once to gRPC and HTTP in the contract layer.
 */
export const ERROR_CODES = [
  "invalid_argument",
  "not_found",
  "already_exists",
  "failed_precondition",
  "aborted",
  "out_of_range",
  "unauthenticated",
  "permission_denied",
  "resource_exhausted",
  "payload_too_large",
  "deadline_exceeded",
  "cancelled",
  "unavailable",
  "unimplemented",
  "internal",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const RETRYABLE: ReadonlySet<ErrorCode> = new Set([
  "unavailable",
  "deadline_exceeded",
  "resource_exhausted",
  "aborted",
]);

/** Whether an operation that failed with `code` may succeed if simply tried again. */
export function isRetryableCode(code: ErrorCode): boolean {
  return RETRYABLE.has(code);
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}
