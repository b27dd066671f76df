import {
  SlackError,
  WebAPIFileUploadInvalidArgumentsError,
  WebAPIFileUploadReadFileDataError,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
} from "@slack/web-api";
import { AppError } from "../../domain/index.js";
import { remoteError, remoteErrorOfStatus } from "../framework/remote-errors.js";
import { meaningOf } from "./error-meanings.js";

const SLACK = "slack";

/**
 * Turns what the Slack library throws into an AppError whose message names Slack's error
 * code; errors it does not know (sockets, aborts) are left to the service.
 */
export function mapSlackError(error: unknown): Error | undefined {
  if (!(error instanceof SlackError)) return undefined;
  if (error instanceof WebAPIPlatformError) return platformError(error.data);
  if (error instanceof WebAPIRateLimitedError) {
    return remoteError(SLACK, "rate_limited", `ratelimited: retry after ${error.retryAfter} s`, {
      remoteStatus: 429,
      retryAfterMs: error.retryAfter * 1000,
    });
  }
  if (error instanceof WebAPIHTTPError) {
    const body = typeof error.body === "string" ? error.body : JSON.stringify(error.body ?? "");
    return remoteErrorOfStatus(SLACK, error.statusCode, body, error.headers["retry-after"]);
  }
  if (
    error instanceof WebAPIFileUploadInvalidArgumentsError ||
    error instanceof WebAPIFileUploadReadFileDataError
  ) {
    return remoteError(SLACK, "invalid_request", `upload refused: ${error.message}`);
  }
  if (error instanceof WebAPIRequestError) {
    // The call's own deadline or cancellation, as the service made it.
    if (error.original instanceof AppError) return error.original;
    const name = error.original.name;
    if (name === "AbortError" || name === "TimeoutError") {
      return remoteError(SLACK, "timeout", "no answer before the deadline");
    }
  }
  return undefined;
}

/** What `{"ok": false, ...}` carries besides `error`. */
interface PlatformFailure {
  error: string;
  needed?: unknown;
  response_metadata?: { messages?: unknown; retryAfter?: unknown };
}

function platformError(data: PlatformFailure): Error {
  // A body that is not JSON arrives as `error`: keep the message short.
  const code = String(data.error).slice(0, 200);
  const { reason, says } = meaningOf(code);
  let message = `${code}: ${says}`;
  if (typeof data.needed === "string" && data.needed !== "") {
    message += ` (needed scope: ${data.needed})`;
  }
  // invalid_arguments and friends say which argument in response_metadata.messages.
  const messages = data.response_metadata?.messages;
  if (Array.isArray(messages) && messages.length > 0) {
    message += `: ${messages.map(String).join("; ").slice(0, 500)}`;
  }
  const retryAfter = data.response_metadata?.retryAfter;
  const error = remoteError(
    SLACK,
    reason,
    message,
    typeof retryAfter === "number" ? { retryAfterMs: retryAfter * 1000 } : {},
  );
  return new AppError(error.code, error.message, { ...error.details, slack_error: code });
}
