import { AppError } from "../../domain/index.js";
import type { GatewayApp, RouteContext } from "../gateway-app.js";
import { AgentIdParamsSchema } from "../schemas/agent-schemas.js";
import { ERROR_RESPONSES } from "../schemas/error-schemas.js";
import {
  AckBodySchema,
  AckJsonSchema,
  CollaborationBodySchema,
  CollaborationJsonSchema,
  CollaborationListJsonSchema,
  ListMessagesQuerySchema,
  MailboxJsonSchema,
  MailboxQuerySchema,
  MessageJsonSchema,
  MessagePageJsonSchema,
  RequestReplyJsonSchema,
  SendMessageBodySchema,
} from "../schemas/message-schemas.js";
import { ref } from "../schemas/schema-helpers.js";
import { IdParamsSchema } from "../schemas/task-schemas.js";
import { collaborationToJson, messageToJson, sendBodyToWire } from "../serializers/message-json.js";
import { isoTime } from "../serializers/time-json.js";

const TAGS = ["messages"];
/** The longest a REST client may wait for a response to its request. */
const MAX_REQUEST_WAIT_MS = 120_000;

/** The message hub: send, request and wait, read mailboxes, acknowledge, ask for help. */
export function registerMessageRoutes(app: GatewayApp, { upstreams }: RouteContext): void {
  const hub = upstreams.hub;

  app.post(
    "/api/v1/messages",
    {
      schema: {
        tags: TAGS,
        summary: "Send a message",
        description:
          "Stored durably before the answer. A response needs correlation_id (the request's id) and goes back to the requester when `to` is left out.",
        body: SendMessageBodySchema,
        response: { 201: ref(MessageJsonSchema), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const response = await hub.sendMessage({
        message: sendBodyToWire(request.body, "notification"),
      });
      if (response.message === undefined)
        throw new AppError("internal", "the hub answered without the message");
      return reply.code(201).send(messageToJson(response.message));
    },
  );

  app.post(
    "/api/v1/messages/requests",
    {
      schema: {
        tags: TAGS,
        summary: "Send a request and wait for its response",
        description: `Waits until the first response or the request's deadline (ttl_ms, default 30 s, at most ${MAX_REQUEST_WAIT_MS / 1000} s here); a missed deadline is a 504.`,
        body: SendMessageBodySchema,
        response: { 200: RequestReplyJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const body = request.body;
      if (body.type !== undefined && body.type !== "request") {
        throw AppError.invalidArgument("body.type", "body.type must be request (or left out)");
      }
      const ttl = body.ttl_ms ?? 30_000;
      if (ttl > MAX_REQUEST_WAIT_MS) {
        throw AppError.invalidArgument(
          "body.ttl_ms",
          `body.ttl_ms must be at most ${MAX_REQUEST_WAIT_MS} to wait over REST`,
        );
      }
      const response = await hub.request(
        { message: sendBodyToWire({ ...body, ttl_ms: ttl }, "request") },
        { timeoutMs: ttl + 5_000 },
      );
      if (response.request === undefined || response.response === undefined)
        throw new AppError("internal", "the hub answered without the request and its response");
      return {
        request: messageToJson(response.request),
        response: messageToJson(response.response),
      };
    },
  );

  app.get(
    "/api/v1/messages",
    {
      schema: {
        tags: TAGS,
        summary: "Messages by task, project, correlation id or recipient",
        querystring: ListMessagesQuerySchema,
        response: { 200: MessagePageJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const q = request.query;
      if (
        q.task_id === undefined &&
        q.project_id === undefined &&
        q.correlation_id === undefined &&
        q.recipient === undefined
      ) {
        throw AppError.invalidArgument(
          "query.task_id",
          "give at least one of task_id, project_id, correlation_id or recipient",
        );
      }
      const page = await hub.listMessages({
        taskId: q.task_id ?? "",
        projectId: q.project_id ?? "",
        correlationId: q.correlation_id ?? "",
        recipient: q.recipient ?? "",
        pageSize: q.page_size ?? 0,
        pageToken: q.page_token ?? "",
      });
      return {
        messages: page.messages.map(messageToJson),
        next_page_token: page.nextPageToken === "" ? null : page.nextPageToken,
      };
    },
  );

  app.get(
    "/api/v1/agents/:agent_id/mailbox",
    {
      schema: {
        tags: TAGS,
        summary: "An agent's mailbox: what waits for it",
        params: AgentIdParamsSchema,
        querystring: MailboxQuerySchema,
        response: { 200: MailboxJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const mailbox = await hub.getMailbox({
        agentId: request.params.agent_id,
        limit: request.query.limit ?? 0,
      });
      return {
        messages: mailbox.messages.map(messageToJson),
        acked_seq: mailbox.ackedSeq,
        pending: mailbox.pending,
        dropped: mailbox.dropped.map((d) => ({
          message_seq: d.messageSeq,
          reason: d.reason,
          at: isoTime(d.atMs),
        })),
      };
    },
  );

  app.post(
    "/api/v1/agents/:agent_id/mailbox/ack",
    {
      schema: {
        tags: TAGS,
        summary: "Acknowledge an agent's messages up to a seq",
        params: AgentIdParamsSchema,
        body: AckBodySchema,
        response: { 200: AckJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const response = await hub.ackMessages({
        agentId: request.params.agent_id,
        upToSeq: request.body.up_to_seq,
      });
      return { acked_seq: response.ackedSeq };
    },
  );

  app.post(
    "/api/v1/tasks/:id/collaborations",
    {
      schema: {
        tags: TAGS,
        summary: "Ask for help with a task",
        description:
          "The hub asks capable online agents one at a time (lowest load first); a decline or silence moves on. 409 when nobody accepts, with each candidate's answer.",
        params: IdParamsSchema,
        body: CollaborationBodySchema,
        response: { 201: ref(CollaborationJsonSchema), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const answerMs = body.answer_timeout_ms ?? 5_000;
      const response = await hub.requestCollaboration(
        {
          taskId: request.params.id,
          requester: body.requester,
          capabilities: body.capabilities,
          subject: body.subject ?? "",
          contextJson: JSON.stringify(body.context ?? {}),
          answerTimeoutMs: answerMs,
        },
        // Every online agent may be asked in turn.
        { timeoutMs: Math.min(MAX_REQUEST_WAIT_MS, answerMs * 20 + 5_000) },
      );
      if (response.collaboration === undefined)
        throw new AppError("internal", "the hub answered without the collaboration");
      return reply.code(201).send(collaborationToJson(response.collaboration));
    },
  );

  app.get(
    "/api/v1/tasks/:id/collaborations",
    {
      schema: {
        tags: TAGS,
        summary: "A task's collaborations",
        params: IdParamsSchema,
        response: { 200: CollaborationListJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const response = await hub.listCollaborations({ taskId: request.params.id });
      return { collaborations: response.collaborations.map(collaborationToJson) };
    },
  );
}
