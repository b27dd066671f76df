import type Database from "better-sqlite3";
import { TASK_STATUSES, TERMINAL_STATUSES, type TaskStatus } from "../../domain/index.js";
import type { AgentRow } from "./agent-row.js";
import type { IdempotencyRow } from "./idempotency-row.js";
import { KNOWLEDGE_SELECT, type KnowledgeRow, type KnowledgeVersionRow } from "./knowledge-row.js";
import type { ProjectRow } from "./project-row.js";
import { TASK_COLUMNS, TASK_SELECT, TASK_STATE_COLUMNS, type TaskRow } from "./task-row.js";

type Statement<P extends unknown[], R = unknown> = Database.Statement<P, R>;

/** The statuses loadActive reads, bound as parameters so the list has one source. */
export const ACTIVE_STATUSES: readonly TaskStatus[] = TASK_STATUSES.filter(
  (s) => !TERMINAL_STATUSES.has(s),
);

/** Largest id list bound in one statement; far below SQLite's variable limit. */
export const MAX_IDS_PER_STATEMENT = 512;

/** `INSERT ... ON CONFLICT(key) DO UPDATE` of every column: the latest record wins, in place. */
function upsertSql(
  table: string,
  columns: readonly string[],
  key: readonly string[],
  updatable: readonly string[] = columns.filter((c) => !key.includes(c)),
): string {
  const updates = updatable.map((c) => `${c} = excluded.${c}`);
  return (
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")}) ` +
    `ON CONFLICT (${key.join(", ")}) DO UPDATE SET ${updates.join(", ")}`
  );
}

const PROJECT_COLUMNS: readonly (keyof ProjectRow)[] = [
  "id",
  "seq",
  "name",
  "description",
  "requirements",
  "tech_stack",
  "priority",
  "template",
  "metadata",
  "created_at",
];
const AGENT_COLUMNS: readonly (keyof AgentRow)[] = [
  "id",
  "name",
  "type",
  "capabilities",
  "executors",
  "max_concurrency",
  "transport",
  "address",
  "host",
  "pid",
  "registered_at",
  "last_seen_at",
  "state",
  "completed_count",
  "failed_count",
];
/** Written on a new entry only; later versions change the rest. */
const KNOWLEDGE_FIXED_COLUMNS: readonly (keyof KnowledgeRow)[] = [
  "id",
  "scope",
  "scope_id",
  "created_at",
];
const KNOWLEDGE_VERSION_COLUMNS: readonly (keyof KnowledgeRow)[] = [
  "version",
  "title",
  "content",
  "tags",
  "author",
  "updated_at",
];
const KNOWLEDGE_VERSION_ROW_COLUMNS: readonly (keyof KnowledgeVersionRow)[] = [
  "knowledge_id",
  "version",
  "title",
  "content",
  "tags",
  "author",
  "updated_at",
];
const IDEMPOTENCY_COLUMNS: readonly (keyof IdempotencyRow)[] = [
  "scope",
  "key",
  "fingerprint",
  "response",
  "created_at",
];

/**
 * Every statement the store runs, prepared once per connection. Statements whose text depends
 * on the query (filters, id-list sizes) are prepared on first use and kept.
 */
export class SqliteStatements {
  readonly upsertProject: Statement<[ProjectRow]>;
  readonly insertTask: Statement<[TaskRow & { history: string }]>;
  /** Sets the state columns (TASK_STATE_COLUMNS order), appends history; seq and id last. */
  readonly updateTask: Statement<unknown[]>;
  readonly appendHistory: Statement<[string, string]>;
  readonly upsertAgent: Statement<[AgentRow]>;
  readonly upsertIdempotency: Statement<[IdempotencyRow]>;
  readonly insertKnowledge: Statement<[KnowledgeRow]>;
  /** Makes a version current; scope and creation time stay those of the first. */
  readonly updateKnowledge: Statement<[KnowledgeRow]>;
  readonly insertKnowledgeVersion: Statement<[KnowledgeVersionRow]>;
  readonly knowledgeVersion: Statement<[string], number>;

  readonly activeTasks: Statement<TaskStatus[], TaskRow>;
  readonly allAgents: Statement<[], AgentRow>;
  readonly maxTaskSeq: Statement<[], number>;
  readonly maxProjectSeq: Statement<[], number>;
  readonly taskById: Statement<[string], TaskRow>;
  readonly countByStatus: Statement<[], { status: string; n: number }>;
  readonly countByStatusInProject: Statement<[string], { status: string; n: number }>;
  readonly history: Statement<[string], string>;
  readonly projectById: Statement<[string], ProjectRow>;
  readonly projectPage: Statement<[number, number], ProjectRow>;
  readonly idempotencyByKey: Statement<[string, string], IdempotencyRow>;
  readonly deleteIdempotencyBefore: Statement<[number]>;
  readonly knowledgeById: Statement<[string], KnowledgeRow>;
  readonly knowledgeVersions: Statement<[string], KnowledgeRow>;
  readonly ping: Statement<[], number>;

  readonly #db: Database.Database;
  readonly #tasksByIds = new Map<number, Statement<string[], TaskRow>>();
  readonly #byFilter = new Map<string, Statement<unknown[]>>();

  constructor(db: Database.Database) {
    this.#db = db;
    this.upsertProject = db.prepare(upsertSql("projects", PROJECT_COLUMNS, ["id"]));
    this.insertTask = db.prepare(
      `INSERT INTO tasks (${TASK_COLUMNS.join(", ")}, history) VALUES (${TASK_COLUMNS.map((c) => `@${c}`).join(", ")}, @history)`,
    );
    this.updateTask = db.prepare(
      // By seq, the rowid: no search of the id index; the id must match too.
      `UPDATE tasks SET ${TASK_STATE_COLUMNS.map((c) => `${c} = ?`).join(", ")}, history = history || ? WHERE seq = ? AND id = ?`,
    );
    this.appendHistory = db.prepare("UPDATE tasks SET history = history || ? WHERE id = ?");
    this.upsertAgent = db.prepare(upsertSql("agents", AGENT_COLUMNS, ["id"]));
    this.upsertIdempotency = db.prepare(
      upsertSql("idempotency", IDEMPOTENCY_COLUMNS, ["scope", "key"]),
    );
    const knowledgeColumns = [...KNOWLEDGE_FIXED_COLUMNS, ...KNOWLEDGE_VERSION_COLUMNS];
    this.insertKnowledge = db.prepare(
      `INSERT INTO knowledge (${knowledgeColumns.join(", ")}) VALUES (${knowledgeColumns.map((c) => `@${c}`).join(", ")})`,
    );
    this.updateKnowledge = db.prepare(
      `UPDATE knowledge SET ${KNOWLEDGE_VERSION_COLUMNS.map((c) => `${c} = @${c}`).join(", ")} WHERE id = @id`,
    );
    this.insertKnowledgeVersion = db.prepare(
      `INSERT INTO knowledge_versions (${KNOWLEDGE_VERSION_ROW_COLUMNS.join(", ")}) VALUES (${KNOWLEDGE_VERSION_ROW_COLUMNS.map((c) => `@${c}`).join(", ")})`,
    );
    this.knowledgeVersion = db
      .prepare<[string], number>("SELECT version FROM knowledge WHERE id = ?")
      .pluck();

    this.activeTasks = db.prepare(
      `SELECT ${TASK_SELECT} FROM tasks WHERE status IN (${ACTIVE_STATUSES.map(() => "?").join(", ")}) ORDER BY seq`,
    );
    this.allAgents = db.prepare("SELECT * FROM agents ORDER BY rowid");
    this.maxTaskSeq = db.prepare<[], number>("SELECT COALESCE(MAX(seq), 0) FROM tasks").pluck();
    this.maxProjectSeq = db
      .prepare<[], number>("SELECT COALESCE(MAX(seq), 0) FROM projects")
      .pluck();
    this.taskById = db.prepare(`SELECT ${TASK_SELECT} FROM tasks WHERE id = ?`);
    this.countByStatus = db.prepare("SELECT status, COUNT(*) AS n FROM tasks GROUP BY status");
    this.countByStatusInProject = db.prepare(
      "SELECT status, COUNT(*) AS n FROM tasks WHERE project_id = ? GROUP BY status",
    );
    this.history = db.prepare<[string], string>("SELECT history FROM tasks WHERE id = ?").pluck();
    this.projectById = db.prepare("SELECT * FROM projects WHERE id = ?");
    this.projectPage = db.prepare("SELECT * FROM projects WHERE seq > ? ORDER BY seq LIMIT ?");
    this.idempotencyByKey = db.prepare("SELECT * FROM idempotency WHERE scope = ? AND key = ?");
    this.deleteIdempotencyBefore = db.prepare("DELETE FROM idempotency WHERE created_at < ?");
    this.knowledgeById = db.prepare(`SELECT ${KNOWLEDGE_SELECT} FROM knowledge k WHERE k.id = ?`);
    this.knowledgeVersions = db.prepare(
      "SELECT v.knowledge_id AS id, v.version, v.title, v.content, v.tags, k.scope, k.scope_id, " +
        "v.author, k.created_at, v.updated_at FROM knowledge_versions v " +
        "JOIN knowledge k ON k.id = v.knowledge_id WHERE v.knowledge_id = ? ORDER BY v.version",
    );
    // Reads the schema from the file, so a connection that cannot read its pages fails here.
    this.ping = db.prepare<[], number>("SELECT COUNT(*) FROM schema_migrations").pluck();
  }

  /**
   * `SELECT <task columns> FROM tasks WHERE id IN (?, ...)` for exactly `size` ids. Callers round sizes up
   * to a power of two (padding with a repeated id) so that few statements are ever prepared.
   */
  tasksByIds(size: number): Statement<string[], TaskRow> {
    let statement = this.#tasksByIds.get(size);
    if (statement === undefined) {
      statement = this.#db.prepare(
        `SELECT ${TASK_SELECT} FROM tasks WHERE id IN (${new Array<string>(size).fill("?").join(", ")})`,
      );
      this.#tasksByIds.set(size, statement);
    }
    return statement;
  }

  /** A statement whose text depends on which filters a query sets; prepared once per text. */
  byText<P extends unknown[], R>(sql: string): Statement<P, R> {
    let statement = this.#byFilter.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#byFilter.set(sql, statement);
    }
    return statement as Statement<P, R>;
  }
}
