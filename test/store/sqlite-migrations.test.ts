import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/domain/index.js";
import { type Migration, runMigrations } from "../../src/store/sqlite/index.js";

const STEPS: Migration[] = [
  // Neither step is re-runnable: running one twice fails, so "applied once" is checked by SQLite.
  {
    version: 1,
    name: "items",
    sql: "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
  },
  {
    version: 2,
    name: "seed",
    sql: "INSERT INTO items (name) VALUES ('first'); CREATE TABLE marks (n INTEGER)",
  },
  {
    version: 3,
    name: "broken",
    sql: "CREATE TABLE later (n INTEGER); INSERT INTO no_such_table VALUES (1)",
  },
];

describe("runMigrations", () => {
  let dir: string;
  let db: Database.Database;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "mcp-migrations-"));
    db = new Database(join(dir, "m.db"));
  });

  afterEach(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const versions = () =>
    db.prepare("SELECT version FROM schema_migrations ORDER BY version").pluck().all();

  it("applies only the steps a database is missing, in order", () => {
    expect(runMigrations(db, STEPS.slice(0, 1))).toStrictEqual([1]);
    expect(runMigrations(db, STEPS.slice(0, 2))).toStrictEqual([2]);
    expect(runMigrations(db, STEPS.slice(0, 2))).toStrictEqual([]);
    expect(versions()).toStrictEqual([1, 2]);
    expect(db.prepare("SELECT name FROM items").pluck().all()).toStrictEqual(["first"]);
  });

  it("rolls back a failing step whole and keeps the steps before it", () => {
    expect(() => runMigrations(db, STEPS)).toThrow();
    expect(versions()).toStrictEqual([1, 2]);
    const later = db.prepare("SELECT name FROM sqlite_master WHERE name = 'later'").get();
    expect(later).toBeUndefined();
  });

  it("refuses steps that are not numbered 1, 2, 3...", () => {
    const gap = [STEPS[0]!, { ...STEPS[1]!, version: 3 }];
    expect(() => runMigrations(db, gap)).toThrow(AppError);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'items'").get()).toBeUndefined();
  });
});
