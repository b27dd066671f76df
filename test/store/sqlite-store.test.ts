import { existsSync } from "node:fs";
import { mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/domain/index.js";
import {
  emptyWriteSet,
  SqliteStore,
  type SqliteStoreOptions,
  type SqliteSynchronous,
} from "../../src/store/index.js";
import { MIGRATIONS } from "../../src/store/sqlite/index.js";
import { defineMessageStoreContract } from "./message-store-contract.js";
import { defineStoreContract, type StoreFactory } from "./store-contract.js";
import { makeKnowledge, makeTask, nextVersion } from "./store-fixtures.js";

const sqliteFactory: StoreFactory = async () => {
  const dir = await mkdtemp(join(tmpdir(), "mcp-store-"));
  // A folder that does not exist yet: open must create it.
  const path = join(dir, "data", "mcp.db");
  let current = await SqliteStore.open({ path, synchronous: "normal" });
  return {
    store: current,
    async reopen() {
      await current.close();
      current = await SqliteStore.open({ path, synchronous: "full" });
      return current;
    },
    async cleanup() {
      await current.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

defineStoreContract("sqlite", sqliteFactory);
defineMessageStoreContract("sqlite", sqliteFactory);

describe("SqliteStore, as a file", () => {
  let dir: string;
  const opened: SqliteStore[] = [];

  async function open(
    path: string,
    options: Partial<SqliteStoreOptions> = {},
  ): Promise<SqliteStore> {
    const store = await SqliteStore.open({ path, ...options });
    opened.push(store);
    return store;
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "mcp-store-"));
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function rejection(promise: Promise<unknown>): Promise<AppError> {
    const error: unknown = await promise.then(
      () => expect.fail("expected a rejection"),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }

  it("creates its folder and a WAL database, and describes itself by path", async () => {
    const path = join(dir, "a", "b", "mcp.db");
    const store = await open(path);
    expect(store.describe()).toBe(`sqlite:${path}`);
    expect(existsSync(path)).toBe(true);
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      raw.close();
    }
  });

  it("reports unavailable when its file is removed from under it, and refuses commits", async () => {
    const path = join(dir, "mcp.db");
    const store = await open(path);
    await store.commit({ ...emptyWriteSet(), tasks: [makeTask(1)] });
    await rm(path);
    expect((await rejection(store.ping())).code).toBe("unavailable");
    expect((await rejection(store.commit({ ...emptyWriteSet(), tasks: [makeTask(2)] }))).code).toBe(
      "unavailable",
    );
  });

  it("reports unavailable when its file is replaced by another", async () => {
    const path = join(dir, "mcp.db");
    const store = await open(path);
    const other = join(dir, "other.db");
    await (await open(other)).close();
    await rename(other, path);
    expect((await rejection(store.ping())).code).toBe("unavailable");
  });

  it("records each migration once, however often the file is opened", async () => {
    const path = join(dir, "mcp.db");
    for (let i = 0; i < 3; i++) await (await open(path)).close();
    const raw = new Database(path, { readonly: true });
    try {
      const versions = raw
        .prepare("SELECT version FROM schema_migrations ORDER BY version")
        .pluck()
        .all();
      expect(versions).toStrictEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      raw.close();
    }
  });

  it("refuses a file whose schema is newer than the code", async () => {
    const path = join(dir, "mcp.db");
    await (await open(path)).close();
    const raw = new Database(path);
    raw
      .prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 0)")
      .run(MIGRATIONS.length + 1);
    raw.close();
    expect((await rejection(SqliteStore.open({ path }))).code).toBe("failed_precondition");
  });

  it("reports a row changed behind its back as internal, naming the column", async () => {
    const path = join(dir, "mcp.db");
    const store = await open(path);
    await store.commit({ ...emptyWriteSet(), tasks: [makeTask(1)] });
    const raw = new Database(path);
    raw.prepare("UPDATE tasks SET metadata = '{oops' WHERE id = 'task_1'").run();
    raw.close();
    const error = await rejection(store.getTask("task_1"));
    expect(error.code).toBe("internal");
    expect(error.details).toMatchObject({ table: "tasks", column: "metadata", id: "task_1" });
  });

  it("names the SQLite failure of a rolled-back commit", async () => {
    const store = await open(join(dir, "mcp.db"));
    const error = await rejection(
      store.commit({ ...emptyWriteSet(), tasks: [makeTask(1), makeTask(1, { id: "x" })] }),
    );
    expect(error.code).toBe("internal");
    expect(error.details).toMatchObject({ operation: "commit" });
    expect(error.details.sqlite_code).toMatch(/^SQLITE_CONSTRAINT/);
  });

  it("keeps the full-text index and the tag table in step with the entries, and versions immutable", async () => {
    const path = join(dir, "mcp.db");
    const store = await open(path);
    const a = makeKnowledge(1, { tags: ["grpc", "leases"] });
    const b = makeKnowledge(2, { tags: ["grpc"] });
    await store.commit({ ...emptyWriteSet(), knowledge: [a, b] });
    const a2 = nextVersion(a, {
      title: "renamed",
      content: "new text",
      tags: ["leases", "sqlite"],
    });
    await store.commit({ ...emptyWriteSet(), knowledge: [a2, nextVersion(b, { tags: [] })] });
    const raw = new Database(path);
    try {
      // Checks the index against the content table; throws SQLITE_CORRUPT_VTAB when they differ.
      raw.exec("INSERT INTO knowledge_fts (knowledge_fts, rank) VALUES ('integrity-check', 1)");
      const tags = raw
        .prepare("SELECT knowledge_id || ':' || tag FROM knowledge_tags ORDER BY 1")
        .pluck()
        .all();
      expect(tags).toStrictEqual(["kn_1:leases", "kn_1:sqlite"]);
      expect(() => raw.prepare("UPDATE knowledge_versions SET title = 'x'").run()).toThrow(
        /immutable/,
      );
    } finally {
      raw.close();
    }
  });

  it("refuses bad options, naming them", async () => {
    const bad: [Partial<SqliteStoreOptions>, string][] = [
      [{ path: "" }, "path"],
      [{ path: ":memory:" }, "path"],
      [{ synchronous: "off" as SqliteSynchronous }, "synchronous"],
      [{ busyTimeoutMs: -1 }, "busyTimeoutMs"],
    ];
    for (const [options, field] of bad) {
      const error = await rejection(SqliteStore.open({ path: join(dir, "x.db"), ...options }));
      expect(error.code).toBe("invalid_argument");
      expect(error.details).toMatchObject({ field });
    }
  });
});

describe("SqliteStore pages", () => {
  it("creates new files with 16 KiB pages", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mcp-store-pages-"));
    const path = join(dir, "mcp.db");
    const store = await SqliteStore.open({ path });
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma("page_size", { simple: true })).toBe(16384);
    db.close();
    await rm(dir, { recursive: true, force: true });
  });
});
