import { Metadata, status, type ServiceError, type StatusObject } from "@grpc/grpc-js";
import {
  AppError,
  type ErrorCode,
  isErrorCode,
  isJsonObject,
  type JsonObject,
} from "../domain/index.js";

/** Our codes to gRPC status codes; the one place they are mapped. */
const TO_GRPC: Readonly<Record<ErrorCode, status>> = {
  invalid_argument: status.INVALID_ARGUMENT,
  not_found: status.NOT_FOUND,
  already_exists: status.ALREADY_EXISTS,
  failed_precondition: status.FAILED_PRECONDITION,
  aborted: status.ABORTED,
  out_of_range: status.OUT_OF_RANGE,
  unauthenticated: status.UNAUTHENTICATED,
  permission_denied: status.PERMISSION_DENIED,
  resource_exhausted: status.RESOURCE_EXHAUSTED,
  payload_too_large: status.RESOURCE_EXHAUSTED,
  deadline_exceeded: status.DEADLINE_EXCEEDED,
  cancelled: status.CANCELLED,
  unavailable: status.UNAVAILABLE,
  unimplemented: status.UNIMPLEMENTED,
  internal: status.INTERNAL,
};

const FROM_GRPC: ReadonlyMap<status, ErrorCode> = new Map([
  [status.CANCELLED, "cancelled"],
  [status.UNKNOWN, "internal"],
  [status.INVALID_ARGUMENT, "invalid_argument"],
  [status.DEADLINE_EXCEEDED, "deadline_exceeded"],
  [status.NOT_FOUND, "not_found"],
  [status.ALREADY_EXISTS, "already_exists"],
  [status.PERMISSION_DENIED, "permission_denied"],
  [status.RESOURCE_EXHAUSTED, "resource_exhausted"],
  [status.FAILED_PRECONDITION, "failed_precondition"],
  [status.ABORTED, "aborted"],
  [status.OUT_OF_RANGE, "out_of_range"],
  [status.UNIMPLEMENTED, "unimplemented"],
  [status.INTERNAL, "internal"],
  [status.UNAVAILABLE, "unavailable"],
  [status.DATA_LOSS, "internal"],
  [status.UNAUTHENTICATED, "unauthenticated"],
]);

/** Trailer carrying our exact code and details as JSON, so nothing is lost across the hop. */
const ERROR_TRAILER = "mcp-error";

/** An AppError (or anything thrown) as a gRPC status to send. */
export function toGrpcStatus(error: unknown): Partial<StatusObject> {
  const appError = AppError.from(error);
  const metadata = new Metadata();
  metadata.set(ERROR_TRAILER, JSON.stringify({ code: appError.code, details: appError.details }));
  return { code: TO_GRPC[appError.code], details: appError.message, metadata };
}

/** A gRPC failure received by a client, as an AppError with the sender's code and details. */
export function fromGrpcError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const serviceError = error as Partial<ServiceError>;
  if (typeof serviceError.code !== "number") return AppError.from(error);
  const message = serviceError.details || serviceError.message || "gRPC call failed";
  const trailer = serviceError.metadata?.get(ERROR_TRAILER)[0];
  if (typeof trailer === "string") {
    try {
      const parsed: unknown = JSON.parse(trailer);
      if (isJsonObject(parsed) && isErrorCode(parsed.code)) {
        const details = isJsonObject(parsed.details) ? parsed.details : {};
        return new AppError(parsed.code, message, details, { cause: error });
      }
    } catch {
      // A malformed trailer: fall back to the status code.
    }
  }
  const code = FROM_GRPC.get(serviceError.code) ?? "internal";
  const details: JsonObject = { grpc_code: serviceError.code };
  return new AppError(code, message, details, { cause: error });
}
