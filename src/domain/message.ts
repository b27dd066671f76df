import type { AgentType } from "./agent-type.js";
import { AppError } from "./app-error.js";
import { checkMaxLength, requireText } from "./field-checks.js";
import type { JsonValue } from "./json.js";

export const MESSAGE_TYPES = [
  "request",
  "response",
  "notification",
  "broadcast",
  "collaborate",
] as const;

export type MessageType = (typeof MESSAGE_TYPES)[number];

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === "string" && (MESSAGE_TYPES as readonly string[]).includes(value);
}

/** Who a message is for, as the sender said it. */
export type RecipientSpec =
  | { kind: "agent"; agentId: string }
  | { kind: "any_of_type"; type: AgentType }
  | { kind: "all_of_type"; type: AgentType }
  | { kind: "project"; projectId: string }
  | { kind: "everyone" };

/** A message as submitted. */
export interface MessageSpec {
  type: MessageType;
  sender: string;
  /** Null only for a response, which goes back to its requester. */
  to: RecipientSpec | null;
  subject: string;
  body: JsonValue;
  taskId: string | null;
  projectId: string | null;
  replyTo: string | null;
  correlationId: string | null;
  /** 0 means the default for the type. */
  ttlMs: number;
}

/** A stored message. */
export interface MessageRecord {
  id: string;
  /** Increases with every message; mailboxes deliver in seq order. */
  seq: number;
  type: MessageType;
  sender: string;
  to: RecipientSpec | null;
  /** The agents it was addressed to, resolved when it was sent, in a stable order. */
  recipients: string[];
  subject: string;
  body: JsonValue;
  taskId: string | null;
  projectId: string | null;
  replyTo: string | null;
  correlationId: string | null;
  createdAt: number;
  expiresAt: number;
}

export const MESSAGE_LIMITS = {
  senderChars: 100,
  subjectChars: 200,
  /** The body as JSON text. */
  bodyBytes: 64 * 1024,
  /** Longest time to live: 7 days. */
  maxTtlMs: 7 * 24 * 3600_000,
  defaultRequestTtlMs: 30_000,
  defaultTtlMs: 24 * 3600_000,
} as const;

/**
 * Checks a message's own fields (not whether its recipients, task or project exist) and
 * returns it normalised: trimmed sender and subject, and the type's rules applied.
 */
export function validateMessageSpec(spec: MessageSpec, prefix = "message"): MessageSpec {
  const at = (name: string) => `${prefix}.${name}`;
  const sender = requireText(spec.sender, at("sender"), MESSAGE_LIMITS.senderChars);
  const subject = spec.subject.trim();
  checkMaxLength(subject, at("subject"), MESSAGE_LIMITS.subjectChars);
  const bodyBytes = Buffer.byteLength(JSON.stringify(spec.body));
  if (bodyBytes > MESSAGE_LIMITS.bodyBytes) {
    throw new AppError(
      "payload_too_large",
      `${at("body")} is ${bodyBytes} bytes of JSON; at most ${MESSAGE_LIMITS.bodyBytes} are allowed`,
      { field: at("body"), limit: MESSAGE_LIMITS.bodyBytes },
    );
  }
  if (!Number.isInteger(spec.ttlMs) || spec.ttlMs < 0 || spec.ttlMs > MESSAGE_LIMITS.maxTtlMs) {
    throw AppError.invalidArgument(
      at("ttl_ms"),
      `${at("ttl_ms")} must be from 0 (the default) to ${MESSAGE_LIMITS.maxTtlMs} ms`,
    );
  }
  if (spec.type === "response") {
    if (spec.correlationId === null) {
      throw AppError.invalidArgument(
        at("correlation_id"),
        `a response needs ${at("correlation_id")}: the id of the request it answers`,
      );
    }
  } else if (spec.to === null && spec.type !== "broadcast") {
    throw AppError.invalidArgument(at("to"), `${at("to")} is required for a ${spec.type}`);
  }
  if (spec.type === "broadcast" && spec.to !== null && spec.to.kind !== "everyone") {
    throw AppError.invalidArgument(
      at("to"),
      `a broadcast goes to everyone; leave ${at("to")} unset or set it to everyone`,
    );
  }
  if (spec.type === "collaborate") {
    throw AppError.invalidArgument(
      at("type"),
      "collaborate messages are sent by the hub; ask for help with a collaboration request",
    );
  }
  const to: RecipientSpec | null = spec.type === "broadcast" ? { kind: "everyone" } : spec.to;
  return { ...spec, sender, subject, to };
}

/** The time to live a message gets when it asks for the default. */
export function effectiveTtlMs(type: MessageType, ttlMs: number): number {
  if (ttlMs > 0) return ttlMs;
  return type === "request" ? MESSAGE_LIMITS.defaultRequestTtlMs : MESSAGE_LIMITS.defaultTtlMs;
}
