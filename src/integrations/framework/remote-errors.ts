import { AppError, type ErrorCode, type JsonObject } from "../../domain/index.js";

/** Why a call to an outside system failed, as the caller is told. */
export const REMOTE_FAILURES = [
  "bad_credentials",
  "permission_denied",
  "not_found",
  "rate_limited",
  "timeout",
  "unavailable",
  "invalid_request",
  "conflict",
  "remote_error",
] as const;

export type RemoteFailure = (typeof REMOTE_FAILURES)[number];

const CODE_OF: Readonly<Record<RemoteFailure, ErrorCode>> = {
  bad_credentials: "unauthenticated",
  permission_denied: "permission_denied",
  not_found: "not_found",
  rate_limited: "resource_exhausted",
  timeout: "deadline_exceeded",
  unavailable: "unavailable",
  invalid_request: "invalid_argument",
  conflict: "failed_precondition",
  remote_error: "internal",
};

/** What else is known about a remote failure. */
export interface RemoteFailureFacts {
  /** The remote's HTTP status, when there was one. */
  remoteStatus?: number;
  /** How long the remote asked us to wait (Retry-After), in ms. */
  retryAfterMs?: number;
}

/**
 * The AppError for a failed remote call: its code says what kind of failure it is (so HTTP
 * and gRPC callers see 401/403/404/429/504/503), `details.reason` names it precisely, and
 * `details.integration` says which outside system answered.
 */
export function remoteError(
  integration: string,
  reason: RemoteFailure,
  message: string,
  facts: RemoteFailureFacts = {},
): AppError {
  const details: JsonObject = { integration, reason };
  if (facts.remoteStatus !== undefined) details.remote_status = facts.remoteStatus;
  if (facts.retryAfterMs !== undefined) details.retry_after_ms = facts.retryAfterMs;
  return new AppError(CODE_OF[reason], `${integration}: ${message}`, details);
}

/** The failure an HTTP status means, as most REST APIs use them. */
export function failureOfStatus(status: number): RemoteFailure {
  if (status === 401) return "bad_credentials";
  if (status === 403) return "permission_denied";
  if (status === 404 || status === 410) return "not_found";
  if (status === 408) return "timeout";
  if (status === 409) return "conflict";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "unavailable";
  if (status >= 400) return "invalid_request";
  return "remote_error";
}

const STATUS_PHRASES: Readonly<Record<RemoteFailure, string>> = {
  bad_credentials: "the credentials were rejected",
  permission_denied: "the credentials lack permission",
  not_found: "not found",
  rate_limited: "rate limited",
  timeout: "the remote timed out",
  unavailable: "the service is unavailable",
  invalid_request: "the request was refused",
  conflict: "conflict",
  remote_error: "unexpected answer",
};

/** The AppError for a non-2xx HTTP answer, with the remote's own message when it gave one. */
export function remoteErrorOfStatus(
  integration: string,
  status: number,
  remoteMessage: string | undefined,
  retryAfter?: string | null,
): AppError {
  const reason = failureOfStatus(status);
  const said = remoteMessage?.trim() ? `: ${remoteMessage.trim().slice(0, 500)}` : "";
  const facts: RemoteFailureFacts = { remoteStatus: status };
  const retryAfterMs = parseRetryAfter(retryAfter);
  if (retryAfterMs !== undefined) facts.retryAfterMs = retryAfterMs;
  return remoteError(
    integration,
    reason,
    `${STATUS_PHRASES[reason]} (HTTP ${status})${said}`,
    facts,
  );
}

/**
 * A Retry-After header (delta seconds or an HTTP date) in ms; undefined when absent or
 * unreadable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The reason recorded on an AppError made by {@link remoteError}, if any. */
export function remoteFailureOf(error: AppError): RemoteFailure | undefined {
  const reason = error.details.reason;
  return typeof reason === "string" && (REMOTE_FAILURES as readonly string[]).includes(reason)
    ? (reason as RemoteFailure)
    : undefined;
}
