import type {
  AgentRecord,
  CollaborationRecord,
  MessageRecord,
  AgentType,
  KnowledgeEntryRecord,
  KnowledgeVersionRecord,
  ProjectRecord,
  TaskEventRecord,
  TaskRecord,
  TaskStatus,
} from "../domain/index.js";
import type {
  KnowledgeSubscription,
  MailboxCursor,
  MessageDrop,
  MessageReads,
} from "./message-store.js";
import type { KnowledgeHit, KnowledgeQuery } from "./knowledge-query.js";

/** What an Idempotency-Key maps to: the fingerprint of the first request and its response. */
export interface IdempotencyRecord {
  /** The operation, e.g. "create_tasks" or "create_project". */
  scope: string;
  key: string;
  /** A hash of the first request; a different request under the same key is refused. */
  fingerprint: string;
  /** The first response, serialised by the caller (opaque to the store). */
  response: string;
  createdAt: number;
}

/**
 * Everything one group commit writes, applied atomically. Tasks and agents are whole
 * records (the latest state wins); events are appended in order. What a task was submitted
 * with (id, seq, title, description, type, dependencies, required capabilities, action,
 * metadata, project, creation time) never changes after its first write; a store may ignore
 * those fields on later writes. Every event belongs to a task written in the same or an
 * earlier commit; a store refuses the commit otherwise.
 *
 * Each knowledge record is a whole new version of an entry: the store keeps it in the entry's
 * history, makes it the entry's current state and refreshes the entry in its search index, all
 * in the commit's transaction. A version must be exactly one more than the entry's stored
 * version (1 for a new entry; several versions of one entry apply in order); otherwise the
 * store refuses the whole commit (`failed_precondition`). An entry's scope and creation time
 * are those of its first version.
 */
export interface WriteSet {
  projects: readonly ProjectRecord[];
  tasks: readonly TaskRecord[];
  events: readonly TaskEventRecord[];
  agents: readonly AgentRecord[];
  idempotency: readonly IdempotencyRecord[];
  /** New messages (never rewritten). */
  messages?: readonly MessageRecord[];
  /** The latest cursor of each recipient wins. */
  mailboxCursors?: readonly MailboxCursor[];
  messageDrops?: readonly MessageDrop[];
  collaborations?: readonly CollaborationRecord[];
  /** The latest subscription of each agent wins. */
  knowledgeSubscriptions?: readonly KnowledgeSubscription[];
  knowledge: readonly KnowledgeVersionRecord[];
}

/** What a coordinator needs in memory when it starts. */
export interface ActiveState {
  /** Every task not in a terminal status, in seq order. */
  tasks: TaskRecord[];
  agents: AgentRecord[];
  /** The highest task seq ever used (0 when none). */
  maxTaskSeq: number;
  maxProjectSeq: number;
}

export interface TaskQuery {
  /** Any of these statuses; empty or absent means all. */
  statuses?: readonly TaskStatus[];
  type?: AgentType;
  agentId?: string;
  projectId?: string;
  /** Page size, at least 1. */
  limit: number;
  /** Return tasks with seq greater than this (keyset pagination). */
  afterSeq?: number;
}

export interface TaskPage {
  /** In seq order. */
  tasks: TaskRecord[];
  /** Pass as afterSeq for the next page; null when this is the last one. */
  nextAfterSeq: number | null;
  /** How many tasks match the filters, over all pages. */
  total: number;
}

export interface ProjectQuery {
  limit: number;
  afterSeq?: number;
}

export interface ProjectPage {
  projects: ProjectRecord[];
  nextAfterSeq: number | null;
}

/**
 * Durable state. The coordinator is its only writer and writes only through {@link commit}.
 * Methods are asynchronous so that a networked store (PostgreSQL) fits the same interface.
 */
export interface Store extends MessageReads {
  /** Applies the write set in one transaction; when the promise resolves it is durable. */
  commit(writes: WriteSet): Promise<void>;
  loadActive(): Promise<ActiveState>;

  getTask(id: string): Promise<TaskRecord | null>;
  /** The tasks that exist among `ids`, in no particular order. */
  getTasks(ids: readonly string[]): Promise<TaskRecord[]>;
  listTasks(query: TaskQuery): Promise<TaskPage>;
  /** Counts by status, over all tasks or one project's. Statuses with no task are absent. */
  countTasksByStatus(projectId?: string): Promise<Partial<Record<TaskStatus, number>>>;
  /** In the order appended. */
  getHistory(taskId: string): Promise<TaskEventRecord[]>;
  /**
   * Subtasks that failed or were cancelled, of parents that are not finished: why each
   * parent can no longer complete (for rebuilding memory after a restart).
   */
  failedSubtasksOfActiveParents(): Promise<Array<{ parentId: string; reason: string }>>;

  getProject(id: string): Promise<ProjectRecord | null>;
  listProjects(query: ProjectQuery): Promise<ProjectPage>;

  /** The entry's current version, or null when no entry has this id. */
  getKnowledge(id: string): Promise<KnowledgeEntryRecord | null>;
  /** Every version of the entry, oldest first; [] when no entry has this id. */
  listKnowledgeVersions(id: string): Promise<KnowledgeVersionRecord[]>;
  /**
   * Current entries matching the query, best first. With text, relevance ranks title matches
   * above tag matches above content matches (SQLite: FTS5 bm25 with column weights; PostgreSQL:
   * ts_rank over a tsvector weighting title A, tags B, content C), ties newest first. Without
   * text, most recently updated first.
   */
  /** The newest entries about a task or its project, newest first (a run's context). */
  knowledgeForTask(
    taskId: string,
    projectId: string | null,
    limit: number,
  ): Promise<KnowledgeEntryRecord[]>;
  searchKnowledge(query: KnowledgeQuery): Promise<KnowledgeHit[]>;

  getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | null>;
  /** Forgets keys created before `before`; returns how many. */
  deleteIdempotencyBefore(before: number): Promise<number>;

  /** Throws when the store cannot serve (file gone, disk full, connection lost). */
  ping(): Promise<void>;
  /** E.g. "sqlite:data/mcp.db". */
  describe(): string;
  close(): Promise<void>;
}

/** An empty write set. */
export function emptyWriteSet(): WriteSet {
  return { projects: [], tasks: [], events: [], agents: [], idempotency: [], knowledge: [] };
}
