import {
  type CollaborationDecline,
  type CollaborationRecord,
  isMessageType,
  type JsonObject,
  type JsonValue,
  type MessageRecord,
  type RecipientSpec,
} from "../../domain/index.js";
import { decodeEnumColumn, parseJsonColumn, parseNullableJsonColumn } from "./row-decoding.js";

/** A row of `messages`; keys are the column names. */
export interface MessageRow {
  seq: number;
  id: string;
  type: string;
  sender: string;
  target: string | null;
  recipients: string;
  subject: string;
  body: string;
  task_id: string | null;
  project_id: string | null;
  reply_to: string | null;
  correlation_id: string | null;
  created_at: number;
  expires_at: number;
}

export function messageToRow(message: MessageRecord): MessageRow {
  return {
    seq: message.seq,
    id: message.id,
    type: message.type,
    sender: message.sender,
    target: message.to === null ? null : JSON.stringify(message.to),
    recipients: JSON.stringify(message.recipients),
    subject: message.subject,
    body: JSON.stringify(message.body),
    task_id: message.taskId,
    project_id: message.projectId,
    reply_to: message.replyTo,
    correlation_id: message.correlationId,
    created_at: message.createdAt,
    expires_at: message.expiresAt,
  };
}

export function messageFromRow(row: MessageRow): MessageRecord {
  return {
    seq: row.seq,
    id: row.id,
    type: decodeEnumColumn(row.type, isMessageType, "messages", "type", row.id),
    sender: row.sender,
    to: parseNullableJsonColumn<RecipientSpec>(row.target, "messages", "target", row.id),
    recipients: parseJsonColumn<string[]>(row.recipients, "messages", "recipients", row.id),
    subject: row.subject,
    body: parseJsonColumn<JsonValue>(row.body, "messages", "body", row.id),
    taskId: row.task_id,
    projectId: row.project_id,
    replyTo: row.reply_to,
    correlationId: row.correlation_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

/** A row of `collaborations` (seq is the rowid, assigned on insert). */
export interface CollaborationRow {
  id: string;
  task_id: string;
  requester: string;
  collaborator: string;
  capabilities: string;
  subject: string;
  context: string;
  declined: string;
  created_at: number;
}

export function collaborationToRow(record: CollaborationRecord): CollaborationRow {
  return {
    id: record.id,
    task_id: record.taskId,
    requester: record.requester,
    collaborator: record.collaborator,
    capabilities: JSON.stringify(record.capabilities),
    subject: record.subject,
    context: JSON.stringify(record.context),
    declined: JSON.stringify(record.declined),
    created_at: record.createdAt,
  };
}

export function collaborationFromRow(row: CollaborationRow): CollaborationRecord {
  const table = "collaborations";
  return {
    id: row.id,
    taskId: row.task_id,
    requester: row.requester,
    collaborator: row.collaborator,
    capabilities: parseJsonColumn<string[]>(row.capabilities, table, "capabilities", row.id),
    subject: row.subject,
    context: parseJsonColumn<JsonObject>(row.context, table, "context", row.id),
    declined: parseJsonColumn<CollaborationDecline[]>(row.declined, table, "declined", row.id),
    createdAt: row.created_at,
  };
}
