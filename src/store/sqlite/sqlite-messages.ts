import type Database from "better-sqlite3";
import { type CollaborationRecord, type MessageRecord, messageSeqOf } from "../../domain/index.js";
import type {
  KnowledgeSubscription,
  MailboxCursor,
  MessageDrop,
  MessagePage,
  MessageQuery,
} from "../message-store.js";
import type { WriteSet } from "../store.js";
import { parseJsonColumn } from "./row-decoding.js";
import {
  type CollaborationRow,
  collaborationFromRow,
  collaborationToRow,
  type MessageRow,
  messageFromRow,
  messageToRow,
} from "./message-row.js";

type Statement<P extends unknown[], R = unknown> = Database.Statement<P, R>;

const MESSAGE_COLUMNS: readonly (keyof MessageRow)[] = [
  "seq",
  "id",
  "type",
  "sender",
  "target",
  "recipients",
  "subject",
  "body",
  "task_id",
  "project_id",
  "reply_to",
  "correlation_id",
  "created_at",
  "expires_at",
];
const COLLABORATION_COLUMNS: readonly (keyof CollaborationRow)[] = [
  "id",
  "task_id",
  "requester",
  "collaborator",
  "capabilities",
  "subject",
  "context",
  "declined",
  "created_at",
];

function insertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})`;
}

/** The message hub's tables: statements, the part of a group commit that touches them, reads. */
export class SqliteMessages {
  readonly #db: Database.Database;
  readonly #insertMessage: Statement<[MessageRow]>;
  readonly #upsertCursor: Statement<[string, number, number]>;
  readonly #insertDrop: Statement<[string, number, string, number]>;
  readonly #insertCollaboration: Statement<[CollaborationRow]>;
  readonly #messageById: Statement<[number, string], MessageRow>;
  readonly #messagesAfter: Statement<[number, number], MessageRow>;
  readonly #cursors: Statement<[], { recipient: string; acked_seq: number; updated_at: number }>;
  readonly #maxSeq: Statement<[], number>;
  readonly #drops: Statement<
    [string],
    { recipient: string; message_seq: number; reason: string; at: number }
  >;
  readonly #collaborations: Statement<[string], CollaborationRow>;
  readonly #projectAgents: Statement<[string], string>;
  readonly #upsertSubscription: Statement<[string, string, number]>;
  readonly #subscriptions: Statement<[], { agent_id: string; tags: string; updated_at: number }>;
  readonly #byFilter = new Map<string, Statement<unknown[], MessageRow>>();

  constructor(db: Database.Database) {
    this.#db = db;
    this.#insertMessage = db.prepare(insertSql("messages", MESSAGE_COLUMNS));
    this.#upsertCursor = db.prepare(
      // A cursor only moves forward, whatever order the writes come in.
      "INSERT INTO mailbox_cursors (recipient, acked_seq, updated_at) VALUES (?, ?, ?) " +
        "ON CONFLICT (recipient) DO UPDATE SET acked_seq = MAX(acked_seq, excluded.acked_seq), " +
        "updated_at = excluded.updated_at",
    );
    this.#insertDrop = db.prepare(
      "INSERT OR IGNORE INTO message_drops (recipient, message_seq, reason, at) VALUES (?, ?, ?, ?)",
    );
    this.#insertCollaboration = db.prepare(insertSql("collaborations", COLLABORATION_COLUMNS));
    this.#messageById = db.prepare("SELECT * FROM messages WHERE seq = ? AND id = ?");
    this.#messagesAfter = db.prepare("SELECT * FROM messages WHERE seq > ? ORDER BY seq LIMIT ?");
    this.#cursors = db.prepare("SELECT * FROM mailbox_cursors ORDER BY recipient");
    this.#maxSeq = db.prepare<[], number>("SELECT COALESCE(MAX(seq), 0) FROM messages").pluck();
    this.#drops = db.prepare(
      "SELECT * FROM (SELECT * FROM message_drops WHERE recipient = ? ORDER BY message_seq DESC LIMIT 100) ORDER BY message_seq",
    );
    this.#projectAgents = db
      .prepare<[string], string>(
        "SELECT DISTINCT agent_id FROM tasks WHERE project_id = ? AND agent_id IS NOT NULL",
      )
      .pluck();
    this.#upsertSubscription = db.prepare(
      "INSERT INTO knowledge_subscriptions (agent_id, tags, updated_at) VALUES (?, ?, ?) " +
        "ON CONFLICT (agent_id) DO UPDATE SET tags = excluded.tags, updated_at = excluded.updated_at",
    );
    this.#subscriptions = db.prepare("SELECT * FROM knowledge_subscriptions ORDER BY agent_id");
    this.#collaborations = db.prepare(
      "SELECT * FROM collaborations WHERE task_id = ? ORDER BY seq",
    );
  }

  /** Writes the hub's part of a group commit; runs inside the commit's transaction. */
  apply(writes: WriteSet): void {
    for (const message of writes.messages ?? []) this.#insertMessage.run(messageToRow(message));
    for (const c of writes.mailboxCursors ?? [])
      this.#upsertCursor.run(c.recipient, c.ackedSeq, c.updatedAt);
    for (const d of writes.messageDrops ?? [])
      this.#insertDrop.run(d.recipient, d.messageSeq, d.reason, d.at);
    for (const c of writes.collaborations ?? [])
      this.#insertCollaboration.run(collaborationToRow(c));
    for (const k of writes.knowledgeSubscriptions ?? [])
      this.#upsertSubscription.run(k.agentId, JSON.stringify(k.tags), k.updatedAt);
  }

  getMessage(id: string): MessageRecord | null {
    const seq = messageSeqOf(id);
    if (seq === null) return null;
    const row = this.#messageById.get(seq, id);
    return row === undefined ? null : messageFromRow(row);
  }

  messagesAfter(afterSeq: number, limit: number): MessageRecord[] {
    return this.#messagesAfter.all(afterSeq, limit).map(messageFromRow);
  }

  listMessages(query: MessageQuery, limit: number, afterSeq: number): MessagePage {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.taskId !== undefined) {
      where.push("task_id = ?");
      params.push(query.taskId);
    }
    if (query.projectId !== undefined) {
      where.push("project_id = ?");
      params.push(query.projectId);
    }
    if (query.correlationId !== undefined) {
      where.push("correlation_id = ?");
      params.push(query.correlationId);
    }
    if (query.recipient !== undefined) {
      where.push("EXISTS (SELECT 1 FROM json_each(messages.recipients) WHERE value = ?)");
      params.push(query.recipient);
    }
    where.push("seq > ?");
    const sql = `SELECT * FROM messages WHERE ${where.join(" AND ")} ORDER BY seq LIMIT ?`;
    let statement = this.#byFilter.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare<unknown[], MessageRow>(sql);
      this.#byFilter.set(sql, statement);
    }
    // One row past the page says whether another page exists.
    const rows = statement.all(...params, afterSeq, limit + 1);
    const more = rows.length > limit;
    const messages = (more ? rows.slice(0, limit) : rows).map(messageFromRow);
    return { messages, nextAfterSeq: more ? (messages.at(-1)?.seq ?? null) : null };
  }

  mailboxCursors(): MailboxCursor[] {
    return this.#cursors.all().map((r) => ({
      recipient: r.recipient,
      ackedSeq: r.acked_seq,
      updatedAt: r.updated_at,
    }));
  }

  maxMessageSeq(): number {
    return this.#maxSeq.get() ?? 0;
  }

  messageDrops(recipient: string): MessageDrop[] {
    return this.#drops.all(recipient).map((r) => ({
      recipient: r.recipient,
      messageSeq: r.message_seq,
      reason: r.reason,
      at: r.at,
    }));
  }

  knowledgeSubscriptions(): KnowledgeSubscription[] {
    return this.#subscriptions.all().map((r) => ({
      agentId: r.agent_id,
      tags: parseJsonColumn<string[]>(r.tags, "knowledge_subscriptions", "tags", r.agent_id),
      updatedAt: r.updated_at,
    }));
  }

  projectAgentIds(projectId: string): string[] {
    return this.#projectAgents.all(projectId);
  }

  collaborations(taskId: string): CollaborationRecord[] {
    return this.#collaborations.all(taskId).map(collaborationFromRow);
  }
}
