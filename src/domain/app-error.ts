import { type ErrorCode, isErrorCode, isRetryableCode } from "./error-code.js";
import type { JsonObject } from "./json.js";

/**
 * The one error type that crosses boundaries. Every layer throws it (or normalises what it
 * caught with {@link AppError.from}); the contract layer maps its code to gRPC and HTTP.
 */
export class AppError extends Error {
  override readonly name = "AppError";
  readonly code: ErrorCode;
  /** Structured facts about the error, e.g. `{ field: "priority" }`. */
  readonly details: JsonObject;

  constructor(code: ErrorCode, message: string, details: JsonObject = {}, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  /** Whether the failed operation may succeed if tried again unchanged. */
  get retryable(): boolean {
    return isRetryableCode(this.code);
  }

  /** Normalises anything thrown into an AppError; unknown errors become `internal`. */
  static from(error: unknown): AppError {
    if (error instanceof AppError) return error;
    if (error instanceof Error) {
      const code = (error as { code?: unknown }).code;
      if (isErrorCode(code)) return new AppError(code, error.message, {}, { cause: error });
      return new AppError("internal", error.message, {}, { cause: error });
    }
    return new AppError("internal", String(error));
  }

  static invalidArgument(field: string, message: string, details: JsonObject = {}): AppError {
    return new AppError("invalid_argument", message, { field, ...details });
  }

  static notFound(kind: string, id: string, details: JsonObject = {}): AppError {
    return new AppError("not_found", `${kind} ${JSON.stringify(id)} does not exist`, {
      kind,
      id,
      ...details,
    });
  }

  toJSON(): { code: ErrorCode; message: string; details: JsonObject } {
    return { code: this.code, message: this.message, details: this.details };
  }
}
