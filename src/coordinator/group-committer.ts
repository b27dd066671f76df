import {
  type AgentRecord,
  AppError,
  type CollaborationRecord,
  type MessageRecord,
  type KnowledgeVersionRecord,
  type ProjectRecord,
  type TaskEventRecord,
  type TaskRecord,
} from "../domain/index.js";
import type { CoordinatorMessage } from "../gen/mcp/v1/agent.js";
import type {
  IdempotencyRecord,
  KnowledgeSubscription,
  MailboxCursor,
  MessageDrop,
  Store,
} from "../store/index.js";
import type { AgentSession } from "./agent-entry.js";

/** Everything staged during one turn of the event loop, committed together. */
class Batch {
  readonly projects: ProjectRecord[] = [];
  readonly tasks = new Map<string, TaskRecord>();
  readonly events: TaskEventRecord[] = [];
  readonly agents = new Map<string, AgentRecord>();
  readonly idempotency: IdempotencyRecord[] = [];
  readonly messages: MessageRecord[] = [];
  /** The latest cursor per recipient. */
  readonly mailboxCursors = new Map<string, MailboxCursor>();
  readonly messageDrops: MessageDrop[] = [];
  readonly collaborations: CollaborationRecord[] = [];
  /** The latest subscription per agent. */
  readonly knowledgeSubscriptions = new Map<string, KnowledgeSubscription>();
  /** Whole versions, in the order staged (several versions of one entry follow each other). */
  readonly knowledge: KnowledgeVersionRecord[] = [];
  /** Run once the batch is durable, in order: sends that must not precede the commit. */
  readonly afterCommit: Array<() => void> = [];
  readonly waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  /** Messages to agents, sent as one frame per session once the batch is durable. */
  readonly outbound = new Map<AgentSession, CoordinatorMessage[]>();

  get writes(): number {
    return (
      this.projects.length +
      this.tasks.size +
      this.events.length +
      this.agents.size +
      this.idempotency.length +
      this.messages.length +
      this.mailboxCursors.size +
      this.messageDrops.length +
      this.collaborations.length +
      this.knowledgeSubscriptions.size +
      this.knowledge.length
    );
  }
}

export interface CommitStats {
  /** Records written. */
  writes: number;
  durationMs: number;
}

/**
 * Group commit. Everything the coordinator changes during one turn of the event loop is
 * staged here and written in one store transaction at the end of the turn; replies and
 * frames that depend on it are released only after that. Tasks and agents are staged as
 * live records and snapshotted at commit time, so several changes to one task in a turn
 * cost one row write.
 *
 * If a commit fails, memory is ahead of the store and nothing is safe to acknowledge:
 * `onFatal` is called (the coordinator exits and restarts from the store).
 */
export class GroupCommitter {
  private batch = new Batch();
  private scheduled = false;
  /** The commit being written, if any. */
  private inFlight: Promise<void> | null = null;
  private closed = false;
  private readonly beforeCommitHooks: Array<() => void> = [];

  constructor(
    private readonly store: Store,
    private readonly onFatal: (error: unknown) => void,
    private readonly onCommitted: (stats: CommitStats) => void = () => {},
  ) {}

  /** Runs before every commit, and may stage more (the scheduler dispatches here). */
  beforeCommit(hook: () => void): void {
    this.beforeCommitHooks.push(hook);
  }

  stageTask(task: TaskRecord): void {
    this.batch.tasks.set(task.id, task);
    this.schedule();
  }

  stageEvent(event: TaskEventRecord): void {
    this.batch.events.push(event);
    this.schedule();
  }

  stageProject(project: ProjectRecord): void {
    this.batch.projects.push(project);
    this.schedule();
  }

  stageAgent(agent: AgentRecord): void {
    this.batch.agents.set(agent.id, agent);
    this.schedule();
  }

  stageIdempotency(record: IdempotencyRecord): void {
    this.batch.idempotency.push(record);
    this.schedule();
  }

  stageMessage(message: MessageRecord): void {
    this.batch.messages.push(message);
    this.schedule();
  }

  stageMailboxCursor(cursor: MailboxCursor): void {
    this.batch.mailboxCursors.set(cursor.recipient, cursor);
    this.schedule();
  }

  stageMessageDrop(drop: MessageDrop): void {
    this.batch.messageDrops.push(drop);
    this.schedule();
  }

  stageKnowledgeSubscription(subscription: KnowledgeSubscription): void {
    this.batch.knowledgeSubscriptions.set(subscription.agentId, subscription);
    this.schedule();
  }

  stageCollaboration(record: CollaborationRecord): void {
    this.batch.collaborations.push(record);
    this.schedule();
  }

  /** Stages a new version of a knowledge entry; it must follow the one staged or stored before it. */
  stageKnowledge(version: KnowledgeVersionRecord): void {
    this.batch.knowledge.push(version);
    this.schedule();
  }

  /** Runs `fn` after the batch holding everything staged so far is durable. */
  afterCommit(fn: () => void): void {
    this.batch.afterCommit.push(fn);
    this.schedule();
  }

  /** Sends `message` to the agent in one frame with the others of this batch, after it commits. */
  send(session: AgentSession, message: CoordinatorMessage): void {
    const queued = this.batch.outbound.get(session);
    if (queued) queued.push(message);
    else this.batch.outbound.set(session, [message]);
    this.schedule();
  }

  /** Resolves when everything staged so far is durable. */
  durable(): Promise<void> {
    if (this.closed)
      return Promise.reject(new AppError("unavailable", "the coordinator is shutting down"));
    return new Promise((resolve, reject) => {
      this.batch.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  /** Makes sure a commit runs at the end of this turn even if nothing else was staged. */
  schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    // While a commit is being written (asynchronous stores), the next batch keeps growing;
    // it is flushed as soon as that commit ends.
    if (!this.inFlight) setImmediate(() => void this.flush());
  }

  /** Commits what is staged now. */
  async flush(): Promise<void> {
    if (this.inFlight) return;
    this.scheduled = false;
    for (const hook of this.beforeCommitHooks) hook();
    const batch = this.batch;
    if (
      batch.writes === 0 &&
      batch.afterCommit.length === 0 &&
      batch.waiters.length === 0 &&
      batch.outbound.size === 0
    ) {
      return;
    }
    this.batch = new Batch();
    this.inFlight = this.write(batch);
    await this.inFlight;
    this.inFlight = null;
    if (this.scheduled) setImmediate(() => void this.flush());
  }

  private async write(batch: Batch): Promise<void> {
    const started = performance.now();
    try {
      if (batch.writes > 0) {
        await this.store.commit({
          projects: batch.projects,
          tasks: [...batch.tasks.values()].map((t) => ({ ...t })),
          events: batch.events,
          agents: [...batch.agents.values()].map((a) => ({ ...a })),
          idempotency: batch.idempotency,
          messages: batch.messages,
          mailboxCursors: [...batch.mailboxCursors.values()],
          messageDrops: batch.messageDrops,
          collaborations: batch.collaborations,
          knowledgeSubscriptions: [...batch.knowledgeSubscriptions.values()],
          knowledge: batch.knowledge,
        });
      }
    } catch (error) {
      for (const waiter of batch.waiters) waiter.reject(error);
      this.onFatal(error);
      return;
    }
    this.onCommitted({ writes: batch.writes, durationMs: performance.now() - started });
    for (const [session, messages] of batch.outbound) session.send(messages);
    for (const fn of batch.afterCommit) fn();
    for (const waiter of batch.waiters) waiter.resolve();
  }

  /** Waits for the commit being written, commits what is left, and stops scheduling. */
  async close(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    await this.flush();
    this.closed = true;
  }
}
