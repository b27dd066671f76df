import type { ErrorCode } from "../domain/index.js";

/** Our error codes as HTTP statuses: the one place they are mapped (499 is nginx's "client closed"). */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  invalid_argument: 400,
  out_of_range: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  already_exists: 409,
  failed_precondition: 409,
  aborted: 409,
  payload_too_large: 413,
  resource_exhausted: 429,
  cancelled: 499,
  internal: 500,
  unimplemented: 501,
  unavailable: 503,
  deadline_exceeded: 504,
};

/** The HTTP status an error with `code` is answered with. */
export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS_BY_CODE[code];
}

/**
 * The closest code for an HTTP status that did not come from an AppError (a framework's own
 * error, or a status received by an HTTP client). Unknown 4xx are the caller's fault
 * (`invalid_argument`); unknown 5xx are `internal`.
 */
export function errorCodeOfHttpStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return "unauthenticated";
    case 403:
      return "permission_denied";
    case 404:
      return "not_found";
    case 409:
      return "aborted";
    case 413:
      return "payload_too_large";
    case 429:
      return "resource_exhausted";
    case 499:
      return "cancelled";
    case 501:
      return "unimplemented";
    case 502:
    case 503:
      return "unavailable";
    case 504:
      return "deadline_exceeded";
    default:
      return status >= 400 && status < 500 ? "invalid_argument" : "internal";
  }
}
