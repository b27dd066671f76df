import { AppError, type ErrorCode } from "../../domain/index.js";

/**
 * SQLite result codes (primary part, before any "_EXTENDED" suffix) that mean the database
 * cannot serve right now: locked, unreadable, full, gone. Callers may retry or report
 * NOT_SERVING; everything else is a bug in what was asked and is `internal`.
 */
const UNAVAILABLE: ReadonlySet<string> = new Set([
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "SQLITE_IOERR",
  "SQLITE_FULL",
  "SQLITE_CANTOPEN",
  "SQLITE_READONLY",
  "SQLITE_CORRUPT",
  "SQLITE_NOTADB",
  "SQLITE_PROTOCOL",
  "SQLITE_NOMEM",
]);

/** Normalises what better-sqlite3 threw during `operation` into an AppError. */
export function storeError(error: unknown, operation: string): AppError {
  if (error instanceof AppError) return error;
  const sqliteCode = sqliteCodeOf(error);
  if (sqliteCode === null) return AppError.from(error);
  const primary = sqliteCode.split("_").slice(0, 2).join("_");
  const code: ErrorCode = UNAVAILABLE.has(primary) ? "unavailable" : "internal";
  const message = error instanceof Error ? error.message : String(error);
  return new AppError(
    code,
    `store ${operation} failed: ${message}`,
    { operation, sqlite_code: sqliteCode },
    { cause: error },
  );
}

function sqliteCodeOf(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("SQLITE_") ? code : null;
}
