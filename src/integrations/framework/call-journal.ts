import Database from "better-sqlite3";
import type { JsonValue } from "../../domain/index.js";

/** A side effect already performed: what it was asked and what it answered. */
export interface JournalEntry {
  /** Hash of the operation and parameters the key was first used with. */
  fingerprint: string;
  result: JsonValue;
}

/**
 * Results of side-effecting calls by idempotency key, so that a retried call (a task's next
 * attempt, a client resending) gets the recorded answer instead of acting twice.
 */
export interface CallJournal {
  find(key: string): JournalEntry | undefined;
  record(key: string, entry: JournalEntry): void;
  close(): void;
}

/** Keeps entries in memory only (tests, and services run without a data folder). */
export function createMemoryCallJournal(): CallJournal {
  const entries = new Map<string, JournalEntry>();
  return {
    find: (key) => entries.get(key),
    record: (key, entry) => void entries.set(key, entry),
    close: () => entries.clear(),
  };
}

/**
 * Keeps entries in a SQLite file for `retentionMs` (entries older than that are removed on
 * open and then hourly), so the record survives a restart of the service.
 */
export function createSqliteCallJournal(file: string, retentionMs: number): CallJournal {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(`CREATE TABLE IF NOT EXISTS calls (
    key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at INTEGER NOT NULL
  )`);
  const select = db.prepare<[string], { fingerprint: string; result: string }>(
    "SELECT fingerprint, result FROM calls WHERE key = ?",
  );
  const insert = db.prepare<[string, string, string, number]>(
    "INSERT OR REPLACE INTO calls (key, fingerprint, result, created_at) VALUES (?, ?, ?, ?)",
  );
  const prune = db.prepare<[number]>("DELETE FROM calls WHERE created_at < ?");
  const pruneOld = () => prune.run(Date.now() - retentionMs);
  pruneOld();
  const timer = setInterval(pruneOld, 3_600_000);
  timer.unref();
  return {
    find(key) {
      const row = select.get(key);
      return row && { fingerprint: row.fingerprint, result: JSON.parse(row.result) as JsonValue };
    },
    record(key, entry) {
      insert.run(key, entry.fingerprint, JSON.stringify(entry.result), Date.now());
    },
    close() {
      clearInterval(timer);
      db.close();
    },
  };
}
