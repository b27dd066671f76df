import type Database from "better-sqlite3";
import { AppError } from "../../domain/index.js";
import type { Migration } from "./migrations.js";

/**
 * Brings the database up to the last of `migrations`, applying only the steps it has not
 * applied yet, each in its own transaction with its record in `schema_migrations`, so that a
 * crash between steps leaves the database at a known version. Returns the versions applied.
 */
export function runMigrations(db: Database.Database, migrations: readonly Migration[]): number[] {
  checkOrder(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const applied = new Set(
    db.prepare<[], number>("SELECT version FROM schema_migrations").pluck().all(),
  );
  const latestKnown = migrations.at(-1)?.version ?? 0;
  const newest = Math.max(0, ...applied);
  if (newest > latestKnown) {
    throw new AppError(
      "failed_precondition",
      `the database is at schema version ${newest}, newer than this program knows (${latestKnown}); upgrade the program`,
      { schema_version: newest, known_version: latestKnown },
    );
  }
  const record = db.prepare<[number, string, number]>(
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
  );
  const done: number[] = [];
  for (const step of migrations) {
    if (applied.has(step.version)) continue;
    // IMMEDIATE takes the write lock first, so two processes opening the same new file
    // cannot both run a step.
    db.transaction(() => {
      const again = db
        .prepare<[number], number>("SELECT 1 FROM schema_migrations WHERE version = ?")
        .pluck()
        .get(step.version);
      if (again !== undefined) return;
      db.exec(step.sql);
      record.run(step.version, step.name, Date.now());
      done.push(step.version);
    }).immediate();
  }
  return done;
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((step, i) => {
    if (step.version !== i + 1) {
      throw new AppError(
        "internal",
        `migration ${JSON.stringify(step.name)} has version ${step.version}; versions must run 1, 2, 3... without gaps`,
      );
    }
  });
}
