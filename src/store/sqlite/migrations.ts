/** One step of the schema's history. Steps are applied once each, in version order. */
export interface Migration {
  /** 1, 2, 3... with no gaps; never renumber a released step. */
  version: number;
  name: string;
  /** One or more statements, run in the step's own transaction. */
  sql: string;
}

/**
 * The schema, as an ordered list of steps. Append new steps; never edit one that has shipped,
 * because databases that applied it will not run it again.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "tasks with their history, projects, agents, idempotency keys",
    sql: `
      -- seq is the rowid: tasks are appended in seq order, so inserts extend the table's B-tree.
      CREATE TABLE tasks (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        description TEXT NOT NULL,
        type TEXT,
        priority TEXT NOT NULL,
        status TEXT NOT NULL,
        dependencies TEXT NOT NULL,
        required_capabilities TEXT NOT NULL,
        action TEXT,
        metadata TEXT NOT NULL,
        project_id TEXT,
        attempt INTEGER NOT NULL,
        max_attempts INTEGER NOT NULL,
        failed_attempts INTEGER NOT NULL,
        agent_id TEXT,
        lease_token TEXT,
        status_reason TEXT NOT NULL,
        result TEXT,
        progress TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        not_before INTEGER,
        lease_expires_at INTEGER,
        -- The task's history: one JSON line per event, appended as the task changes. Kept in
        -- the row, since every change that adds history also rewrites the row; listings do
        -- not select it.
        history TEXT NOT NULL DEFAULT ''
      );
      -- Every listing filter is paged by seq, so each index ends with it. Optional columns are
      -- indexed only where set: a filter "col = ?" implies "col IS NOT NULL", so SQLite uses
      -- them, and tasks without a project, agent or type cost no index writes.
      CREATE INDEX tasks_status_seq ON tasks (status, seq);
      CREATE INDEX tasks_project_seq ON tasks (project_id, seq) WHERE project_id IS NOT NULL;
      CREATE INDEX tasks_agent_seq ON tasks (agent_id, seq) WHERE agent_id IS NOT NULL;
      CREATE INDEX tasks_type_seq ON tasks (type, seq) WHERE type IS NOT NULL;

      CREATE TABLE projects (
        id TEXT PRIMARY KEY NOT NULL,
        seq INTEGER NOT NULL UNIQUE,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        requirements TEXT NOT NULL,
        tech_stack TEXT NOT NULL,
        priority TEXT NOT NULL,
        template TEXT NOT NULL,
        metadata TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );

      CREATE TABLE agents (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        capabilities TEXT NOT NULL,
        executors TEXT NOT NULL,
        max_concurrency INTEGER NOT NULL,
        transport TEXT NOT NULL,
        address TEXT NOT NULL,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        registered_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        state TEXT NOT NULL,
        completed_count INTEGER NOT NULL,
        failed_count INTEGER NOT NULL
      );

      CREATE TABLE idempotency (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        response TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (scope, key)
      ) WITHOUT ROWID;
      CREATE INDEX idempotency_created_at ON idempotency (created_at);
    `,
  },
  {
    version: 2,
    name: "messages, mailbox cursors, expired deliveries, collaborations",
    sql: `
      -- seq is the rowid: messages are appended in seq order; mailboxes deliver in it. The id
      -- is made from the seq, so it needs no index of its own.
      CREATE TABLE messages (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        type TEXT NOT NULL,
        sender TEXT NOT NULL,
        target TEXT,
        recipients TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        task_id TEXT,
        project_id TEXT,
        reply_to TEXT,
        correlation_id TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX messages_task_seq ON messages (task_id, seq) WHERE task_id IS NOT NULL;
      CREATE INDEX messages_project_seq ON messages (project_id, seq) WHERE project_id IS NOT NULL;
      CREATE INDEX messages_correlation_seq ON messages (correlation_id, seq)
        WHERE correlation_id IS NOT NULL;

      CREATE TABLE mailbox_cursors (
        recipient TEXT PRIMARY KEY NOT NULL,
        acked_seq INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE message_drops (
        recipient TEXT NOT NULL,
        message_seq INTEGER NOT NULL,
        reason TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (recipient, message_seq)
      ) WITHOUT ROWID;

      CREATE TABLE collaborations (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        task_id TEXT NOT NULL,
        requester TEXT NOT NULL,
        collaborator TEXT NOT NULL,
        capabilities TEXT NOT NULL,
        subject TEXT NOT NULL,
        context TEXT NOT NULL,
        declined TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX collaborations_task_seq ON collaborations (task_id, seq);

      -- Subtasks: a parent completes only after its subtasks.
      ALTER TABLE tasks ADD COLUMN parent_id TEXT;
      CREATE INDEX tasks_parent ON tasks (parent_id) WHERE parent_id IS NOT NULL;

      -- The knowledge tags each agent is notified about (a JSON array).
      CREATE TABLE knowledge_subscriptions (
        agent_id TEXT PRIMARY KEY NOT NULL,
        tags TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    // Self-contained (tables, index, triggers).
    version: 3,
    name: "knowledge entries, versions and full-text index",
    sql: `
      -- One row per entry: its current version. seq is the rowid the full-text index points at;
      -- tags is a JSON array of normalised tags.
      CREATE TABLE knowledge (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        version INTEGER NOT NULL,
        title TEXT NOT NULL,
        content TEXT NOT NULL,
        tags TEXT NOT NULL,
        scope TEXT NOT NULL,
        scope_id TEXT,
        author TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX knowledge_scope ON knowledge (scope, scope_id);

      -- Every version ever written, the current one included. Scope and creation time are the
      -- entry's (in knowledge); updated_at is when this version was written.
      CREATE TABLE knowledge_versions (
        knowledge_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        title TEXT NOT NULL,
        content TEXT NOT NULL,
        tags TEXT NOT NULL,
        author TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (knowledge_id, version)
      );
      CREATE TRIGGER knowledge_versions_immutable BEFORE UPDATE ON knowledge_versions
      BEGIN
        SELECT RAISE(ABORT, 'knowledge versions are immutable');
      END;

      -- Which current entries carry which tag: an exact tag filter without scanning.
      CREATE TABLE knowledge_tags (
        tag TEXT NOT NULL,
        knowledge_id TEXT NOT NULL,
        PRIMARY KEY (tag, knowledge_id)
      ) WITHOUT ROWID;

      -- Full-text index of the current entries. External content: the text lives only in
      -- knowledge (snippet() reads it from there). Porter stemming folds "retries" and "retry".
      CREATE VIRTUAL TABLE knowledge_fts USING fts5(
        title, content, tags,
        content = 'knowledge', content_rowid = 'seq',
        tokenize = 'porter unicode61 remove_diacritics 2'
      );

      -- The index and the tag table follow every change of knowledge in the same transaction.
      -- An external-content index forgets a row only when given the values it indexed (old.*).
      CREATE TRIGGER knowledge_after_insert AFTER INSERT ON knowledge
      BEGIN
        INSERT INTO knowledge_fts (rowid, title, content, tags)
          VALUES (new.seq, new.title, new.content, new.tags);
        INSERT INTO knowledge_tags (tag, knowledge_id)
          SELECT value, new.id FROM json_each(new.tags);
      END;
      CREATE TRIGGER knowledge_after_update AFTER UPDATE ON knowledge
      BEGIN
        INSERT INTO knowledge_fts (knowledge_fts, rowid, title, content, tags)
          VALUES ('delete', old.seq, old.title, old.content, old.tags);
        INSERT INTO knowledge_fts (rowid, title, content, tags)
          VALUES (new.seq, new.title, new.content, new.tags);
        DELETE FROM knowledge_tags
          WHERE knowledge_id = old.id AND tag IN (SELECT value FROM json_each(old.tags));
        INSERT INTO knowledge_tags (tag, knowledge_id)
          SELECT value, new.id FROM json_each(new.tags);
      END;
      CREATE TRIGGER knowledge_after_delete AFTER DELETE ON knowledge
      BEGIN
        INSERT INTO knowledge_fts (knowledge_fts, rowid, title, content, tags)
          VALUES ('delete', old.seq, old.title, old.content, old.tags);
        DELETE FROM knowledge_tags
          WHERE knowledge_id = old.id AND tag IN (SELECT value FROM json_each(old.tags));
      END;
    `,
  },
];
