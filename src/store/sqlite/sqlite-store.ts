import { mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import {
  AppError,
  type CollaborationRecord,
  isTaskStatus,
  type MessageRecord,
  type KnowledgeEntryRecord,
  type KnowledgeVersionRecord,
  type ProjectRecord,
  type TaskEventRecord,
  type TaskRecord,
  type TaskStatus,
} from "../../domain/index.js";
import type {
  KnowledgeSubscription,
  MailboxCursor,
  MessageDrop,
  MessagePage,
  MessageQuery,
} from "../message-store.js";
import type {
  ActiveState,
  IdempotencyRecord,
  ProjectPage,
  ProjectQuery,
  Store,
  TaskPage,
  TaskQuery,
  WriteSet,
} from "../store.js";
import type { KnowledgeHit, KnowledgeQuery } from "../knowledge-query.js";
import { agentFromRow, agentToRow } from "./agent-row.js";
import { eventsFromHistory, eventToLine } from "./event-line.js";
import { idempotencyFromRow, idempotencyToRow } from "./idempotency-row.js";
import { KNOWLEDGE_SELECT, knowledgeFromRow, type KnowledgeRow } from "./knowledge-row.js";
import { knowledgeSearchSql, snippetOf } from "./knowledge-search-sql.js";
import { applyKnowledgeVersion } from "./knowledge-writes.js";
import { MIGRATIONS } from "./migrations.js";
import { projectFromRow, projectToRow } from "./project-row.js";
import { runMigrations } from "./run-migrations.js";
import { storeError } from "./sqlite-error.js";
import { ACTIVE_STATUSES, MAX_IDS_PER_STATEMENT, SqliteStatements } from "./sqlite-statements.js";
import {
  type ResolvedSqliteStoreOptions,
  resolveSqliteStoreOptions,
  type SqliteStoreOptions,
} from "./sqlite-store-options.js";
import { SqliteMessages } from "./sqlite-messages.js";
import { taskFilterSql } from "./task-filter-sql.js";
import { TASK_SELECT, taskFromRow, taskStateParams, taskToRow, type TaskRow } from "./task-row.js";

/** Which file a connection opened: a different inode at the same path is another database. */
interface FileIdentity {
  dev: number;
  ino: number;
}

/**
 * The embedded store: one SQLite file in WAL mode, one connection, owned by the coordinator.
 * better-sqlite3 is synchronous, so every method runs to completion before it returns its
 * promise; a commit resolves after SQLite has committed (and, with synchronous "full",
 * synced) the transaction.
 */
export class SqliteStore implements Store {
  readonly #options: ResolvedSqliteStoreOptions;
  readonly #identity: FileIdentity;
  #db: Database.Database | null;
  readonly #statements: SqliteStatements;
  readonly #messages: SqliteMessages;
  readonly #applyWrites: (writes: WriteSet) => void;

  private constructor(
    options: ResolvedSqliteStoreOptions,
    db: Database.Database,
    identity: FileIdentity,
  ) {
    this.#options = options;
    this.#db = db;
    this.#identity = identity;
    this.#statements = new SqliteStatements(db);
    const s = this.#statements;
    const messages = (this.#messages = new SqliteMessages(db));
    // The order matters to readers of the contract, not to SQLite: projects before the tasks
    // that name them, events after the tasks they describe.
    const apply = db.transaction((writes: WriteSet) => {
      for (const project of writes.projects) s.upsertProject.run(projectToRow(project));
      // History is appended to the task's row in the same write as its state, in order.
      const history = new Map<string, string>();
      for (const event of writes.events) {
        history.set(event.taskId, (history.get(event.taskId) ?? "") + eventToLine(event));
      }
      for (const task of writes.tasks) {
        const lines = history.get(task.id) ?? "";
        history.delete(task.id);
        // Most writes change a known task: update its state; insert only a new one.
        if (s.updateTask.run(...taskStateParams(task, lines)).changes === 0) {
          s.insertTask.run({ ...taskToRow(task), history: lines });
        }
      }
      for (const [taskId, lines] of history) {
        if (s.appendHistory.run(lines, taskId).changes === 0) {
          throw new AppError("internal", `history for task ${taskId}, which does not exist`, {
            task_id: taskId,
          });
        }
      }
      for (const agent of writes.agents) s.upsertAgent.run(agentToRow(agent));
      for (const record of writes.idempotency) s.upsertIdempotency.run(idempotencyToRow(record));
      messages.apply(writes);
      for (const version of writes.knowledge) applyKnowledgeVersion(s, version);
    });
    // IMMEDIATE takes the write lock at BEGIN, where busy_timeout applies, instead of failing
    // halfway through when a read lock cannot be upgraded.
    this.#applyWrites = (writes) => apply.immediate(writes);
  }

  /** Opens (creating when missing) the database file and brings its schema up to date. */
  static async open(options: SqliteStoreOptions): Promise<SqliteStore> {
    const resolved = resolveSqliteStoreOptions(options);
    let db: Database.Database | null = null;
    try {
      mkdirSync(dirname(resolved.path), { recursive: true });
      db = new Database(resolved.path, { timeout: resolved.busyTimeoutMs });
      // 16 KiB pages (for a new file; an existing one keeps its own): a group commit rewrites
      // the few hot pages at the end of the tasks table and its indexes, and larger pages mean
      // fewer of them. Measured: about 18% less coordinator CPU per task than 4 KiB.
      db.pragma("page_size = 16384");
      const mode = db.pragma("journal_mode = WAL", { simple: true });
      if (mode !== "wal") {
        throw new AppError(
          "unavailable",
          `SQLite refused WAL mode for ${resolved.path} (journal_mode is ${String(mode)})`,
        );
      }
      db.pragma(`synchronous = ${resolved.synchronous.toUpperCase()}`);
      db.pragma(`busy_timeout = ${resolved.busyTimeoutMs}`);
      runMigrations(db, MIGRATIONS);
      const stat = statSync(resolved.path);
      return new SqliteStore(resolved, db, { dev: stat.dev, ino: stat.ino });
    } catch (error) {
      db?.close();
      throw storeError(error, `open of ${resolved.path}`);
    }
  }

  async commit(writes: WriteSet): Promise<void> {
    this.#use("commit", () => {
      // Writing into a file that was deleted or replaced would acknowledge data nobody can
      // read again; refuse instead.
      this.#checkFile();
      this.#applyWrites(writes);
    });
  }

  async loadActive(): Promise<ActiveState> {
    return this.#use("loadActive", (s, db) =>
      // One read transaction, so the tasks, agents and seqs are one snapshot.
      db.transaction(() => ({
        tasks: s.activeTasks.all(...ACTIVE_STATUSES).map(taskFromRow),
        agents: s.allAgents.all().map(agentFromRow),
        maxTaskSeq: s.maxTaskSeq.get() ?? 0,
        maxProjectSeq: s.maxProjectSeq.get() ?? 0,
      }))(),
    );
  }

  async getTask(id: string): Promise<TaskRecord | null> {
    return this.#use("getTask", (s) => {
      const row = s.taskById.get(id);
      return row === undefined ? null : taskFromRow(row);
    });
  }

  async getTasks(ids: readonly string[]): Promise<TaskRecord[]> {
    return this.#use("getTasks", (s) => {
      const unique = [...new Set(ids)];
      const found: TaskRecord[] = [];
      for (let start = 0; start < unique.length; start += MAX_IDS_PER_STATEMENT) {
        const chunk = unique.slice(start, start + MAX_IDS_PER_STATEMENT);
        // Pad with a repeated id up to a power of two: IN ignores duplicates, and only a
        // handful of statement shapes are ever prepared.
        const size = 2 ** Math.ceil(Math.log2(chunk.length));
        const first = chunk[0] as string;
        while (chunk.length < size) chunk.push(first);
        for (const row of s.tasksByIds(size).all(...chunk)) found.push(taskFromRow(row));
      }
      return found;
    });
  }

  async listTasks(query: TaskQuery): Promise<TaskPage> {
    const limit = checkLimit(query.limit);
    const afterSeq = checkAfterSeq(query.afterSeq);
    return this.#use("listTasks", (s, db) => {
      const { where, params } = taskFilterSql(query);
      const page = s.byText<unknown[], TaskRow>(
        `SELECT ${TASK_SELECT} FROM tasks WHERE ${where === "" ? "" : `${where} AND `}seq > ? ORDER BY seq LIMIT ?`,
      );
      const count = s
        .byText<unknown[], number>(
          `SELECT COUNT(*) FROM tasks${where === "" ? "" : ` WHERE ${where}`}`,
        )
        .pluck();
      return db.transaction(() => {
        // One row past the page says whether another page exists.
        const rows = page.all(...params, afterSeq, limit + 1);
        const more = rows.length > limit;
        const tasks = (more ? rows.slice(0, limit) : rows).map(taskFromRow);
        return {
          tasks,
          nextAfterSeq: more ? (tasks.at(-1)?.seq ?? null) : null,
          total: count.get(...params) ?? 0,
        };
      })();
    });
  }

  async countTasksByStatus(projectId?: string): Promise<Partial<Record<TaskStatus, number>>> {
    return this.#use("countTasksByStatus", (s) => {
      const rows =
        projectId === undefined ? s.countByStatus.all() : s.countByStatusInProject.all(projectId);
      const counts: Partial<Record<TaskStatus, number>> = {};
      for (const row of rows) {
        if (!isTaskStatus(row.status)) {
          throw new AppError(
            "internal",
            `tasks.status holds unknown value ${JSON.stringify(row.status)}`,
          );
        }
        counts[row.status] = row.n;
      }
      return counts;
    });
  }

  async getHistory(taskId: string): Promise<TaskEventRecord[]> {
    return this.#use("getHistory", (s) => {
      const history = s.history.get(taskId);
      return history === undefined ? [] : eventsFromHistory(history, taskId);
    });
  }

  async failedSubtasksOfActiveParents(): Promise<Array<{ parentId: string; reason: string }>> {
    return this.#use("failedSubtasksOfActiveParents", (s) =>
      s
        .byText<string[], { id: string; parent_id: string; status: string; status_reason: string }>(
          "SELECT id, parent_id, status, status_reason FROM tasks " +
            "WHERE parent_id IS NOT NULL AND status IN ('failed', 'cancelled') " +
            `AND parent_id IN (SELECT id FROM tasks WHERE status IN (${ACTIVE_STATUSES.map(() => "?").join(", ")})) ORDER BY seq`,
        )
        .all(...ACTIVE_STATUSES)
        .map((row) => ({
          parentId: row.parent_id,
          reason:
            row.status === "cancelled"
              ? `subtask ${row.id} was cancelled`
              : `subtask ${row.id} failed: ${row.status_reason}`,
        })),
    );
  }

  async getProject(id: string): Promise<ProjectRecord | null> {
    return this.#use("getProject", (s) => {
      const row = s.projectById.get(id);
      return row === undefined ? null : projectFromRow(row);
    });
  }

  async listProjects(query: ProjectQuery): Promise<ProjectPage> {
    const limit = checkLimit(query.limit);
    const afterSeq = checkAfterSeq(query.afterSeq);
    return this.#use("listProjects", (s) => {
      const rows = s.projectPage.all(afterSeq, limit + 1);
      const more = rows.length > limit;
      const projects = (more ? rows.slice(0, limit) : rows).map(projectFromRow);
      return { projects, nextAfterSeq: more ? (projects.at(-1)?.seq ?? null) : null };
    });
  }

  async getKnowledge(id: string): Promise<KnowledgeEntryRecord | null> {
    return this.#use("getKnowledge", (s) => {
      const row = s.knowledgeById.get(id);
      return row === undefined ? null : knowledgeFromRow(row);
    });
  }

  async listKnowledgeVersions(id: string): Promise<KnowledgeVersionRecord[]> {
    return this.#use("listKnowledgeVersions", (s) =>
      s.knowledgeVersions.all(id).map(knowledgeFromRow),
    );
  }

  async knowledgeForTask(
    taskId: string,
    projectId: string | null,
    limit: number,
  ): Promise<KnowledgeEntryRecord[]> {
    checkLimit(limit);
    return this.#use("knowledgeForTask", (s) =>
      s
        .byText<[string, string | null, number], KnowledgeRow>(
          `SELECT ${KNOWLEDGE_SELECT} FROM knowledge k ` +
            "WHERE (k.scope = 'task' AND k.scope_id = ?) OR (k.scope = 'project' AND k.scope_id = ?) " +
            "ORDER BY k.updated_at DESC, k.seq DESC LIMIT ?",
        )
        .all(taskId, projectId, limit)
        .map(knowledgeFromRow),
    );
  }

  async knowledgeSubscriptions(): Promise<KnowledgeSubscription[]> {
    return this.#use("knowledgeSubscriptions", () => this.#messages.knowledgeSubscriptions());
  }

  async searchKnowledge(query: KnowledgeQuery): Promise<KnowledgeHit[]> {
    const limit = checkLimit(query.limit);
    return this.#use("searchKnowledge", (s) => {
      const { sql, params, ranked } = knowledgeSearchSql({ ...query, limit });
      type Row = KnowledgeRow & { rank?: number; snippet?: string };
      return s
        .byText<unknown[], Row>(sql)
        .all(...params)
        .map((row) => ({
          entry: knowledgeFromRow(row),
          // bm25 is lower for better matches; the contract's score is higher for better.
          score: ranked ? -(row.rank ?? 0) : 0,
          snippet: snippetOf(row.content, ranked ? (row.snippet ?? "") : null),
        }));
    });
  }

  async getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | null> {
    return this.#use("getIdempotency", (s) => {
      const row = s.idempotencyByKey.get(scope, key);
      return row === undefined ? null : idempotencyFromRow(row);
    });
  }

  async deleteIdempotencyBefore(before: number): Promise<number> {
    return this.#use(
      "deleteIdempotencyBefore",
      (s) => s.deleteIdempotencyBefore.run(before).changes,
    );
  }

  async getMessage(id: string): Promise<MessageRecord | null> {
    return this.#use("getMessage", () => this.#messages.getMessage(id));
  }

  async messagesAfter(afterSeq: number, limit: number): Promise<MessageRecord[]> {
    checkLimit(limit);
    return this.#use("messagesAfter", () => this.#messages.messagesAfter(afterSeq, limit));
  }

  async listMessages(query: MessageQuery): Promise<MessagePage> {
    const limit = checkLimit(query.limit);
    const afterSeq = checkAfterSeq(query.afterSeq);
    return this.#use("listMessages", () => this.#messages.listMessages(query, limit, afterSeq));
  }

  async mailboxCursors(): Promise<MailboxCursor[]> {
    return this.#use("mailboxCursors", () => this.#messages.mailboxCursors());
  }

  async maxMessageSeq(): Promise<number> {
    return this.#use("maxMessageSeq", () => this.#messages.maxMessageSeq());
  }

  async messageDrops(recipient: string): Promise<MessageDrop[]> {
    return this.#use("messageDrops", () => this.#messages.messageDrops(recipient));
  }

  async collaborations(taskId: string): Promise<CollaborationRecord[]> {
    return this.#use("collaborations", () => this.#messages.collaborations(taskId));
  }

  async projectAgentIds(projectId: string): Promise<string[]> {
    return this.#use("projectAgentIds", () => this.#messages.projectAgentIds(projectId));
  }

  async ping(): Promise<void> {
    this.#use("ping", (s) => {
      this.#checkFile();
      s.ping.get();
    });
  }

  describe(): string {
    return `sqlite:${this.#options.path}`;
  }

  async close(): Promise<void> {
    const db = this.#db;
    if (db === null) return;
    this.#db = null;
    try {
      db.close();
    } catch (error) {
      throw storeError(error, "close");
    }
  }

  /** Runs `work` on the open connection, with every failure normalised to an AppError. */
  #use<T>(operation: string, work: (statements: SqliteStatements, db: Database.Database) => T): T {
    const db = this.#db;
    if (db === null)
      throw new AppError("unavailable", `store ${this.describe()} is closed`, { operation });
    try {
      return work(this.#statements, db);
    } catch (error) {
      throw storeError(error, operation);
    }
  }

  /** Throws `unavailable` when the path no longer leads to the file this connection opened. */
  #checkFile(): void {
    const path = this.#options.path;
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined) {
      throw new AppError("unavailable", `store file ${path} has been removed`, { path });
    }
    if (stat.dev !== this.#identity.dev || stat.ino !== this.#identity.ino) {
      throw new AppError("unavailable", `store file ${path} has been replaced by another file`, {
        path,
      });
    }
  }
}

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) {
    throw AppError.invalidArgument("limit", `limit must be a whole number >= 1, not ${limit}`);
  }
  return limit;
}

/** Absent means from the start. */
function checkAfterSeq(afterSeq: number | undefined): number {
  if (afterSeq === undefined) return Number.MIN_SAFE_INTEGER;
  if (!Number.isInteger(afterSeq)) {
    throw AppError.invalidArgument("afterSeq", `afterSeq must be a whole number, not ${afterSeq}`);
  }
  return afterSeq;
}
