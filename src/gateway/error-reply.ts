import type { ErrorObject } from "ajv";
import type { FastifyReply, FastifyRequest } from "fastify";
import { errorCodeOfHttpStatus, httpStatusOf } from "../contract/index.js";
import { AppError } from "../domain/index.js";
import { MAX_PARAM_LENGTH } from "./schemas/task-schemas.js";
import { validationError } from "../schemas/index.js";

/** Unsupported Media Type: the one status not given by an error code (it is a kind of invalid_argument). */
const UNSUPPORTED_MEDIA_TYPE = 415;

/** What Fastify attaches to the errors it raises itself. */
interface FrameworkError {
  code?: unknown;
  statusCode?: unknown;
  validation?: unknown;
  validationContext?: unknown;
}

interface ErrorReply {
  status: number;
  error: AppError;
}

/**
 * Turns anything a request raised into our error and its HTTP status: AppErrors (ours and the
 * coordinator's) keep their code; Fastify's own errors (validation, body parsing, size, media
 * type, URL) get the matching code; anything else is `internal` and its text is not shown.
 */
export function toErrorReply(
  thrown: unknown,
  request: FastifyRequest,
  bodyLimitBytes: number,
): ErrorReply {
  if (thrown instanceof AppError) return { status: httpStatusOf(thrown.code), error: thrown };
  const framework = (typeof thrown === "object" && thrown !== null ? thrown : {}) as FrameworkError;
  if (Array.isArray(framework.validation)) {
    const error = validationError(
      framework.validation as ErrorObject[],
      typeof framework.validationContext === "string" ? framework.validationContext : "request",
    );
    return { status: httpStatusOf(error.code), error };
  }
  const statusCode = typeof framework.statusCode === "number" ? framework.statusCode : 500;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  switch (framework.code) {
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE": {
      const contentType = request.headers["content-type"];
      const what =
        contentType === undefined
          ? "a body without Content-Type"
          : `Content-Type ${JSON.stringify(contentType)}`;
      return {
        status: UNSUPPORTED_MEDIA_TYPE,
        error: AppError.invalidArgument(
          "headers.content-type",
          `${what} is not supported: send application/json`,
        ),
      };
    }
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return {
        status: httpStatusOf("payload_too_large"),
        error: new AppError(
          "payload_too_large",
          `body is larger than the limit of ${bodyLimitBytes} bytes`,
          {
            limit_bytes: bodyLimitBytes,
          },
        ),
      };
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return { status: 400, error: AppError.invalidArgument("body", "body is not valid JSON") };
    case "FST_ERR_BAD_URL":
      return {
        status: 400,
        error: AppError.invalidArgument("url", "the URL is not valid (bad percent-encoding)"),
      };
    case "FST_ERR_MAX_PARAM_LENGTH":
      return {
        status: 400,
        error: AppError.invalidArgument(
          "params",
          `a path parameter is longer than ${MAX_PARAM_LENGTH} characters`,
        ),
      };
    default:
      break;
  }
  if (statusCode >= 400 && statusCode < 500) {
    const code = errorCodeOfHttpStatus(statusCode);
    return { status: httpStatusOf(code), error: new AppError(code, message) };
  }
  return { status: 500, error: new AppError("internal", "internal error", {}, { cause: thrown }) };
}

/** Sends `error` in the one error shape: `{ error: { code, message, details } }`. */
export function sendError(reply: FastifyReply, status: number, error: AppError): FastifyReply {
  // An outside system asked us to wait (rate limit): the caller is told the same.
  const retryAfterMs = error.details.retry_after_ms;
  if (typeof retryAfterMs === "number" && (status === 429 || status === 503))
    void reply.header("retry-after", String(Math.ceil(retryAfterMs / 1000)));
  return reply.code(status).send({ error: error.toJSON() });
}

/** Logs an error reply: server-side failures loudly, the client's mistakes at debug. */
export function logErrorReply(
  request: FastifyRequest,
  status: number,
  error: AppError,
  thrown: unknown,
): void {
  const fields = { status_code: status, code: error.code, details: error.details };
  if (status === 503 || status === 504) request.log.warn(fields, error.message);
  else if (status >= 500) request.log.error({ ...fields, err: thrown }, error.message);
  else request.log.debug(fields, error.message);
}
