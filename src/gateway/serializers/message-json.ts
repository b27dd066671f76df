import {
  collaborationContextFromWire,
  messageFromWire,
  messageSpecToWire,
} from "../../contract/index.js";
import type { JsonObject, JsonValue, MessageType, RecipientSpec } from "../../domain/index.js";
import type {
  Collaboration as WireCollaboration,
  Message as WireMessage,
  MessageSpec as WireMessageSpec,
} from "../../gen/mcp/v1/hub.js";
import type { MessageJson, RecipientJson, SendMessageBody } from "../schemas/message-schemas.js";
import { isoTime } from "./time-json.js";

function recipientFromJson(to: RecipientJson | undefined): RecipientSpec | null {
  if (to === undefined) return null;
  if (to.agent_id !== undefined) return { kind: "agent", agentId: to.agent_id };
  if (to.any_of_type !== undefined) return { kind: "any_of_type", type: to.any_of_type };
  if (to.all_of_type !== undefined) return { kind: "all_of_type", type: to.all_of_type };
  if (to.project_id !== undefined) return { kind: "project", projectId: to.project_id };
  return { kind: "everyone" };
}

function recipientToJson(to: RecipientSpec | null): RecipientJson | null {
  if (to === null) return null;
  switch (to.kind) {
    case "agent":
      return { agent_id: to.agentId };
    case "any_of_type":
      return { any_of_type: to.type };
    case "all_of_type":
      return { all_of_type: to.type };
    case "project":
      return { project_id: to.projectId };
    case "everyone":
      return { everyone: true };
  }
}

/** A REST message body as the hub's wire spec (`fallbackType` when the body names none). */
export function sendBodyToWire(body: SendMessageBody, fallbackType: MessageType): WireMessageSpec {
  return messageSpecToWire({
    type: body.type ?? fallbackType,
    sender: body.sender,
    to: recipientFromJson(body.to),
    subject: body.subject ?? "",
    body: (body.body ?? null) as JsonValue,
    taskId: body.task_id ?? null,
    projectId: body.project_id ?? null,
    replyTo: body.reply_to ?? null,
    correlationId: body.correlation_id ?? null,
    ttlMs: body.ttl_ms ?? 0,
  });
}

export function messageToJson(wire: WireMessage): MessageJson {
  const m = messageFromWire(wire, "message");
  return {
    id: m.id,
    seq: m.seq,
    type: m.type,
    sender: m.sender,
    to: recipientToJson(m.to),
    recipients: m.recipients,
    subject: m.subject,
    body: m.body,
    task_id: m.taskId,
    project_id: m.projectId,
    reply_to: m.replyTo,
    correlation_id: m.correlationId,
    created_at: isoTime(m.createdAt),
    expires_at: isoTime(m.expiresAt),
  };
}

export function collaborationToJson(c: WireCollaboration) {
  const context: JsonObject = collaborationContextFromWire(c.contextJson, "context_json");
  return {
    id: c.id,
    task_id: c.taskId,
    requester: c.requester,
    collaborator: c.collaborator,
    capabilities: c.capabilities,
    subject: c.subject,
    context,
    declined: c.declined.map((d) => ({ agent_id: d.agentId, reason: d.reason })),
    created_at: isoTime(c.createdAtMs),
  };
}
