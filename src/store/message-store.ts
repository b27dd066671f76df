import type { CollaborationRecord, MessageRecord } from "../domain/index.js";

/** How far a recipient has acknowledged its mailbox. */
export interface MailboxCursor {
  /** An agent id. */
  recipient: string;
  /** Every message for the recipient up to and including this seq is acknowledged. */
  ackedSeq: number;
  updatedAt: number;
}

/** The knowledge tags an agent is notified about; no tags means none. */
export interface KnowledgeSubscription {
  agentId: string;
  tags: string[];
  updatedAt: number;
}

/** A message that expired before it could be delivered to one of its recipients. */
export interface MessageDrop {
  messageSeq: number;
  recipient: string;
  reason: string;
  at: number;
}

export interface MessageQuery {
  taskId?: string;
  projectId?: string;
  correlationId?: string;
  /** Messages whose resolved recipients include this agent. */
  recipient?: string;
  limit: number;
  /** Messages with seq greater than this. */
  afterSeq?: number;
}

export interface MessagePage {
  /** In seq order. */
  messages: MessageRecord[];
  nextAfterSeq: number | null;
}

/** What the message hub reads from the store; it writes through the group commit. */
export interface MessageReads {
  getMessage(id: string): Promise<MessageRecord | null>;
  /** Up to `limit` messages with seq greater than `afterSeq`, in seq order (mailbox rebuilds). */
  messagesAfter(afterSeq: number, limit: number): Promise<MessageRecord[]>;
  listMessages(query: MessageQuery): Promise<MessagePage>;
  mailboxCursors(): Promise<MailboxCursor[]>;
  /** The highest message seq ever used (0 when none). */
  maxMessageSeq(): Promise<number>;
  /** The most recent 100 drops of a recipient, in seq order. */
  messageDrops(recipient: string): Promise<MessageDrop[]>;
  /** In creation order. */
  collaborations(taskId: string): Promise<CollaborationRecord[]>;
  /** Every agent's knowledge subscription, by agent id. */
  knowledgeSubscriptions(): Promise<KnowledgeSubscription[]>;
  /** Agents that have held a task of the project (as last written), in no particular order. */
  projectAgentIds(projectId: string): Promise<string[]>;
}
