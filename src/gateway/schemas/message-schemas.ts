import { type Static, Type } from "@sinclair/typebox";
import { MESSAGE_LIMITS, MESSAGE_TYPES } from "../../domain/index.js";
import { AgentTypeSchema } from "./enum-schemas.js";
import { IsoTime, JsonObjectSchema, nullable, ref, stringEnum } from "./schema-helpers.js";
import { MAX_PARAM_LENGTH } from "./task-schemas.js";

export const MessageTypeSchema = stringEnum(MESSAGE_TYPES, {
  description:
    "request (expects a response by its deadline), response (answers a request: set correlation_id), notification, broadcast (to everyone); collaborate is sent by the hub only.",
});

/** Exactly one way of naming the recipients. */
export const RecipientSchema = Type.Object(
  {
    agent_id: Type.Optional(
      Type.String({ minLength: 1, maxLength: MAX_PARAM_LENGTH, description: "One agent." }),
    ),
    any_of_type: Type.Optional(
      Type.Unsafe<Static<typeof AgentTypeSchema>>({
        ...AgentTypeSchema,
        description: "One agent of the type: the least loaded online one.",
      }),
    ),
    all_of_type: Type.Optional(
      Type.Unsafe<Static<typeof AgentTypeSchema>>({
        ...AgentTypeSchema,
        description: "Every agent of the type.",
      }),
    ),
    project_id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: MAX_PARAM_LENGTH,
        description: "Every agent holding or having held a task of the project.",
      }),
    ),
    everyone: Type.Optional(Type.Literal(true, { description: "Every agent." })),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    description: "Who gets the message: exactly one of these fields.",
  },
);
export type RecipientJson = Static<typeof RecipientSchema>;

const MESSAGE_FIELDS = {
  type: Type.Optional(MessageTypeSchema),
  sender: Type.String({
    minLength: 1,
    maxLength: MESSAGE_LIMITS.senderChars,
    description: "Who sends it: an agent id, or a person's or script's name.",
  }),
  to: Type.Optional(RecipientSchema),
  subject: Type.Optional(Type.String({ maxLength: MESSAGE_LIMITS.subjectChars })),
  body: Type.Optional(Type.Unknown({ description: "Any JSON value." })),
  task_id: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_PARAM_LENGTH })),
  project_id: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_PARAM_LENGTH })),
  reply_to: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_PARAM_LENGTH })),
  correlation_id: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: MAX_PARAM_LENGTH,
      description: "For a response: the id of the request it answers.",
    }),
  ),
  ttl_ms: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MESSAGE_LIMITS.maxTtlMs,
      description:
        "Time to live; for a request, its deadline. Default: 30 s for a request, 24 h otherwise.",
    }),
  ),
};

export const SendMessageBodySchema = Type.Object(MESSAGE_FIELDS, { additionalProperties: false });
export type SendMessageBody = Static<typeof SendMessageBodySchema>;

export const MessageJsonSchema = Type.Object(
  {
    id: Type.String(),
    seq: Type.Integer({ description: "Increases with every message; mailboxes deliver in it." }),
    type: MessageTypeSchema,
    sender: Type.String(),
    to: nullable(RecipientSchema),
    recipients: Type.Array(Type.String(), {
      description: "The agents it was addressed to, resolved when it was sent.",
    }),
    subject: Type.String(),
    body: Type.Unknown(),
    task_id: nullable(Type.String()),
    project_id: nullable(Type.String()),
    reply_to: nullable(Type.String()),
    correlation_id: nullable(Type.String()),
    created_at: IsoTime("When the hub stored it."),
    expires_at: IsoTime("When it stops being delivered."),
  },
  { $id: "Message", additionalProperties: false },
);
export type MessageJson = Static<typeof MessageJsonSchema>;

export const RequestReplyJsonSchema = Type.Object(
  { request: ref(MessageJsonSchema), response: ref(MessageJsonSchema) },
  { additionalProperties: false },
);

export const ListMessagesQuerySchema = Type.Object(
  {
    task_id: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_PARAM_LENGTH })),
    project_id: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_PARAM_LENGTH })),
    correlation_id: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_PARAM_LENGTH })),
    recipient: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_PARAM_LENGTH })),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    page_token: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: false },
);

export const MessagePageJsonSchema = Type.Object(
  {
    messages: Type.Array(ref(MessageJsonSchema)),
    next_page_token: nullable(Type.String()),
  },
  { additionalProperties: false },
);

export const MailboxQuerySchema = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
  { additionalProperties: false },
);

export const MailboxJsonSchema = Type.Object(
  {
    messages: Type.Array(ref(MessageJsonSchema), {
      description: "Undelivered or unacknowledged messages, oldest first.",
    }),
    acked_seq: Type.Integer({ description: "Everything up to this seq is acknowledged." }),
    pending: Type.Integer(),
    dropped: Type.Array(
      Type.Object(
        { message_seq: Type.Integer(), reason: Type.String(), at: IsoTime("When it was dropped.") },
        { additionalProperties: false },
      ),
      { description: "The most recent messages that expired before delivery." },
    ),
  },
  { additionalProperties: false },
);

export const AckBodySchema = Type.Object(
  {
    up_to_seq: Type.Integer({
      minimum: 0,
      description: "Acknowledges every message of the mailbox up to and including this seq.",
    }),
  },
  { additionalProperties: false },
);

export const AckJsonSchema = Type.Object(
  { acked_seq: Type.Integer() },
  { additionalProperties: false },
);

export const CollaborationBodySchema = Type.Object(
  {
    requester: Type.String({
      minLength: 1,
      maxLength: MAX_PARAM_LENGTH,
      description: "The agent asking for help; it must hold the task.",
    }),
    capabilities: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
      minItems: 1,
      maxItems: 50,
    }),
    subject: Type.Optional(Type.String({ maxLength: 200 })),
    context: Type.Optional(JsonObjectSchema("Shared context attached to the task on acceptance.")),
    answer_timeout_ms: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 60_000,
        description: "How long each candidate has to answer. Default 5000.",
      }),
    ),
  },
  { additionalProperties: false },
);

export const CollaborationJsonSchema = Type.Object(
  {
    id: Type.String(),
    task_id: Type.String(),
    requester: Type.String(),
    collaborator: Type.String(),
    capabilities: Type.Array(Type.String()),
    subject: Type.String(),
    context: JsonObjectSchema("The shared context."),
    declined: Type.Array(
      Type.Object(
        { agent_id: Type.String(), reason: Type.String() },
        { additionalProperties: false },
      ),
      { description: "Candidates asked before the collaborator, and why each said no." },
    ),
    created_at: IsoTime("When it was accepted."),
  },
  { $id: "Collaboration", additionalProperties: false },
);

export const CollaborationListJsonSchema = Type.Object(
  { collaborations: Type.Array(ref(CollaborationJsonSchema)) },
  { additionalProperties: false },
);
