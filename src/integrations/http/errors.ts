import { remoteError } from "../framework/remote-errors.js";
import { HTTP_INTEGRATION } from "./refusals.js";

/** undici's errors by code, and what they mean for the caller. */
const UNDICI_FAILURES: Readonly<
  Record<string, { reason: "timeout" | "invalid_request" | "unavailable"; says: string }>
> = {
  UND_ERR_HEADERS_TIMEOUT: { reason: "timeout", says: "no response headers in time" },
  UND_ERR_BODY_TIMEOUT: { reason: "timeout", says: "the response body stalled" },
  UND_ERR_INVALID_ARG: { reason: "invalid_request", says: "the request is not valid HTTP" },
  UND_ERR_NOT_SUPPORTED: { reason: "invalid_request", says: "the request is not supported" },
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: {
    reason: "invalid_request",
    says: "the request body does not match its length",
  },
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: {
    reason: "unavailable",
    says: "the response ended before its Content-Length",
  },
  HPE_INVALID_CONSTANT: { reason: "unavailable", says: "the answer is not HTTP" },
  HPE_INVALID_HEADER_TOKEN: { reason: "unavailable", says: "the answer has an invalid header" },
};

/** Certificate failures: the remote is not who the URL names, or cannot be verified. */
const TLS_CODES = new Set([
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
]);

/**
 * undici's and TLS errors as AppErrors, by code (never by message: it may carry a URL).
 * Unreachable hosts (ECONNREFUSED, ENOTFOUND...) and aborts are left to the framework.
 */
export function mapHttpError(error: unknown): Error | undefined {
  const code = codeOf(error);
  if (code === undefined) return undefined;
  const known = UNDICI_FAILURES[code];
  if (known !== undefined)
    return remoteError(HTTP_INTEGRATION, known.reason, `${known.says} (${code})`);
  if (TLS_CODES.has(code))
    return remoteError(
      HTTP_INTEGRATION,
      "remote_error",
      `the server's TLS certificate was refused (${code})`,
    );
  return undefined;
}

function codeOf(error: unknown, depth = 0): string | undefined {
  if (depth > 3 || typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (code in UNDICI_FAILURES || TLS_CODES.has(code))) return code;
  return codeOf((error as { cause?: unknown }).cause, depth + 1);
}
