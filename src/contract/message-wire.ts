import {
  AppError,
  type CollaborationRecord,
  isMessageType,
  MESSAGE_TYPES,
  type MessageRecord,
  type MessageSpec,
  type MessageType,
  type RecipientSpec,
} from "../domain/index.js";
import {
  type Collaboration as WireCollaboration,
  type Message as WireMessage,
  type MessageSpec as WireMessageSpec,
  MessageType as WireMessageType,
  type Recipient as WireRecipient,
} from "../gen/mcp/v1/hub.js";
import { agentTypeToWire, requiredAgentTypeFromWire } from "./enum-maps.js";
import { parseJsonField, parseJsonObjectField } from "./json-field.js";

const PREFIX = "MESSAGE_TYPE_";

export function messageTypeToWire(type: MessageType): WireMessageType {
  return WireMessageType[`${PREFIX}${type.toUpperCase()}` as keyof typeof WireMessageType];
}

/** UNSPECIFIED means `fallback`; an unknown number is refused naming `field`. */
export function messageTypeFromWire(
  value: WireMessageType,
  field: string,
  fallback: MessageType,
): MessageType {
  if (value === WireMessageType.MESSAGE_TYPE_UNSPECIFIED) return fallback;
  const name = WireMessageType[value]?.slice(PREFIX.length).toLowerCase();
  if (!isMessageType(name)) {
    throw AppError.invalidArgument(
      field,
      `${field} must be one of ${MESSAGE_TYPES.join(", ")} (got ${value})`,
    );
  }
  return name;
}

export function recipientToWire(to: RecipientSpec | null): WireRecipient | undefined {
  if (to === null) return undefined;
  switch (to.kind) {
    case "agent":
      return { target: { $case: "agentId", value: to.agentId } };
    case "any_of_type":
      return { target: { $case: "anyOfType", value: agentTypeToWire(to.type) } };
    case "all_of_type":
      return { target: { $case: "allOfType", value: agentTypeToWire(to.type) } };
    case "project":
      return { target: { $case: "projectId", value: to.projectId } };
    case "everyone":
      return { target: { $case: "everyone", value: true } };
  }
}

export function recipientFromWire(
  to: WireRecipient | undefined,
  field: string,
): RecipientSpec | null {
  const target = to?.target;
  if (target === undefined) return null;
  switch (target.$case) {
    case "agentId":
      if (target.value.trim() === "")
        throw AppError.invalidArgument(`${field}.agent_id`, `${field}.agent_id must not be empty`);
      return { kind: "agent", agentId: target.value.trim() };
    case "anyOfType":
      return {
        kind: "any_of_type",
        type: requiredAgentTypeFromWire(target.value, `${field}.any_of_type`),
      };
    case "allOfType":
      return {
        kind: "all_of_type",
        type: requiredAgentTypeFromWire(target.value, `${field}.all_of_type`),
      };
    case "projectId":
      if (target.value.trim() === "")
        throw AppError.invalidArgument(
          `${field}.project_id`,
          `${field}.project_id must not be empty`,
        );
      return { kind: "project", projectId: target.value.trim() };
    case "everyone":
      if (!target.value)
        throw AppError.invalidArgument(`${field}.everyone`, `${field}.everyone must be true`);
      return { kind: "everyone" };
  }
}

function optionalText(value: string): string | null {
  const text = value.trim();
  return text === "" ? null : text;
}

/** A spec off the wire; its own rules are checked by validateMessageSpec. */
export function messageSpecFromWire(
  spec: WireMessageSpec | undefined,
  field: string,
  fallbackType: MessageType = "notification",
): MessageSpec {
  if (spec === undefined) throw AppError.invalidArgument(field, `${field} is required`);
  return {
    type: messageTypeFromWire(spec.type, `${field}.type`, fallbackType),
    sender: spec.sender,
    to: recipientFromWire(spec.to, `${field}.to`),
    subject: spec.subject,
    body: spec.bodyJson === "" ? null : parseJsonField(spec.bodyJson, `${field}.body_json`),
    taskId: optionalText(spec.taskId),
    projectId: optionalText(spec.projectId),
    replyTo: optionalText(spec.replyTo),
    correlationId: optionalText(spec.correlationId),
    ttlMs: spec.ttlMs,
  };
}

export function messageSpecToWire(spec: MessageSpec): WireMessageSpec {
  return {
    type: messageTypeToWire(spec.type),
    sender: spec.sender,
    to: recipientToWire(spec.to),
    subject: spec.subject,
    bodyJson: spec.body === null ? "" : JSON.stringify(spec.body),
    taskId: spec.taskId ?? "",
    projectId: spec.projectId ?? "",
    replyTo: spec.replyTo ?? "",
    correlationId: spec.correlationId ?? "",
    ttlMs: spec.ttlMs,
  };
}

export function messageToWire(message: MessageRecord): WireMessage {
  return {
    id: message.id,
    seq: message.seq,
    type: messageTypeToWire(message.type),
    sender: message.sender,
    to: recipientToWire(message.to),
    recipients: message.recipients,
    subject: message.subject,
    bodyJson: message.body === null ? "" : JSON.stringify(message.body),
    taskId: message.taskId ?? "",
    projectId: message.projectId ?? "",
    replyTo: message.replyTo ?? "",
    correlationId: message.correlationId ?? "",
    createdAtMs: message.createdAt,
    expiresAtMs: message.expiresAt,
  };
}

/** A delivered message back into a record (agents and clients reading their mail). */
export function messageFromWire(message: WireMessage, field: string): MessageRecord {
  return {
    id: message.id,
    seq: message.seq,
    type: messageTypeFromWire(message.type, `${field}.type`, "notification"),
    sender: message.sender,
    to: recipientFromWire(message.to, `${field}.to`),
    recipients: message.recipients,
    subject: message.subject,
    body: message.bodyJson === "" ? null : parseJsonField(message.bodyJson, `${field}.body_json`),
    taskId: optionalText(message.taskId),
    projectId: optionalText(message.projectId),
    replyTo: optionalText(message.replyTo),
    correlationId: optionalText(message.correlationId),
    createdAt: message.createdAtMs,
    expiresAt: message.expiresAtMs,
  };
}

export function collaborationToWire(record: CollaborationRecord): WireCollaboration {
  return {
    id: record.id,
    taskId: record.taskId,
    requester: record.requester,
    collaborator: record.collaborator,
    capabilities: record.capabilities,
    subject: record.subject,
    contextJson: JSON.stringify(record.context),
    declined: record.declined.map((d) => ({ agentId: d.agentId, reason: d.reason })),
    createdAtMs: record.createdAt,
  };
}

/** The shared context of a collaboration request: a JSON object ("" means empty). */
export function collaborationContextFromWire(text: string, field: string) {
  return text === "" ? {} : parseJsonObjectField(text, field);
}
