import { AppError } from "../../domain/index.js";

/** SQLite `synchronous` settings we allow with WAL. */
export type SqliteSynchronous = "normal" | "full";

/** How to open a {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file; its folder is created when missing. */
  path: string;
  /**
   * "normal" (default): a commit survives a crash of the process, and the last commits may be
   * lost on power loss. "full": every commit is synced to disk before it resolves.
   */
  synchronous?: SqliteSynchronous;
  /** How long a statement waits for a lock held by another connection. Default 5000 ms. */
  busyTimeoutMs?: number;
}

/** {@link SqliteStoreOptions} with every default filled in. */
export interface ResolvedSqliteStoreOptions {
  path: string;
  synchronous: SqliteSynchronous;
  busyTimeoutMs: number;
}

/** Fills defaults and refuses bad options with an error naming the option. */
export function resolveSqliteStoreOptions(options: SqliteStoreOptions): ResolvedSqliteStoreOptions {
  const path = options.path.trim();
  if (path === "" || path === ":memory:") {
    throw AppError.invalidArgument(
      "path",
      "path must name a database file (an in-memory database is not durable)",
    );
  }
  const synchronous = options.synchronous ?? "normal";
  if (synchronous !== "normal" && synchronous !== "full") {
    throw AppError.invalidArgument(
      "synchronous",
      `synchronous must be "normal" or "full", not ${JSON.stringify(synchronous)}`,
    );
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw AppError.invalidArgument(
      "busyTimeoutMs",
      `busyTimeoutMs must be a whole number of milliseconds >= 0, not ${busyTimeoutMs}`,
    );
  }
  return { path, synchronous, busyTimeoutMs };
}
