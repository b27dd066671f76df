import { AppError, isErrorCode, isJsonObject } from "../../domain/index.js";
import { remoteError } from "./remote-errors.js";

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_CLOSED",
]);

/**
 * A plain Error carrying `code` (an error code) and `details` (with `reason`), the convention
 * for plugins written without this package's helpers; anything else is `internal`.
 */
function fromPlainError(integration: string, error: unknown): AppError {
  if (!(error instanceof Error)) return AppError.from(error);
  const { code, details } = error as { code?: unknown; details?: unknown };
  if (!isErrorCode(code)) return AppError.from(error);
  return new AppError(code, error.message, {
    ...(isJsonObject(details) ? details : {}),
    integration,
  });
}

/** The error code of `error` or of the errors it wraps (fetch wraps socket errors in `cause`). */
function systemCode(error: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && UNREACHABLE_CODES.has(code)) return code;
  return systemCode((error as { cause?: unknown }).cause, depth + 1);
}

/**
 * Whatever an operation threw, as an AppError: the plugin's own mapping first, then AppErrors
 * as they are, unreachable hosts as `unavailable`, aborts as `timeout`, the rest as
 * `remote_error` with the message.
 */
export function normaliseThrown(
  integration: string,
  thrown: unknown,
  mapError: ((error: unknown) => Error | undefined) | undefined,
  timeoutMs: number,
): AppError {
  if (thrown instanceof AppError) return thrown;
  const mapped = mapError?.(thrown);
  if (mapped instanceof AppError) return mapped;
  if (mapped !== undefined) return fromPlainError(integration, mapped);
  const plain = fromPlainError(integration, thrown);
  if (plain.code !== "internal") return plain;
  const code = systemCode(thrown);
  if (code !== undefined) {
    return remoteError(integration, "unavailable", `cannot reach the service (${code})`);
  }
  const name = (thrown as { name?: unknown } | null)?.name;
  if (name === "AbortError" || name === "TimeoutError") {
    return remoteError(integration, "timeout", `no answer within ${timeoutMs} ms`);
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return remoteError(integration, "remote_error", message);
}
