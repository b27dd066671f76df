import type { ServerWritableStream } from "@grpc/grpc-js";
import {
  collaborationContextFromWire,
  collaborationToWire,
  messageSpecFromWire,
  messageToWire,
} from "../../contract/index.js";
import { AppError, type MessageRecord } from "../../domain/index.js";
import type {
  Message as WireMessage,
  MessageHubServiceServer,
  SubscribeRequest,
} from "../../gen/mcp/v1/hub.js";
import { toGrpcStatus, unary } from "../../rpc/index.js";
import type { CoordinatorState } from "../coordinator-state.js";
import { pageSize, pageToken, requireId } from "../request-fields.js";
import type { CollaborationBroker } from "./collaboration-broker.js";
import type { MailSink } from "./mailbox.js";
import type { MessageHub } from "./message-hub.js";
import { wireOf } from "./message-wire-cache.js";

const DEFAULT_MAILBOX_PAGE = 100;

/** MessageHubService over gRPC: decodes, calls the hub, encodes; errors become statuses. */
export function createHubService(
  state: CoordinatorState,
  hub: MessageHub,
  collaborations: CollaborationBroker,
): MessageHubServiceServer {
  return {
    sendMessage: unary(async (request) => {
      const message = await hub.send(messageSpecFromWire(request.message, "message"));
      return { message: messageToWire(message) };
    }),

    request: unary(async (request) => {
      const spec = messageSpecFromWire(request.message, "message", "request");
      const { request: sent, response } = await hub.request(spec);
      return { request: messageToWire(sent), response: messageToWire(response) };
    }),

    listMessages: unary(async (request) => {
      const filters = {
        taskId: request.taskId || undefined,
        projectId: request.projectId || undefined,
        correlationId: request.correlationId || undefined,
        recipient: request.recipient || undefined,
      };
      if (Object.values(filters).every((v) => v === undefined)) {
        throw AppError.invalidArgument(
          "task_id",
          "give at least one of task_id, project_id, correlation_id or recipient",
        );
      }
      const page = await hub.list({
        ...filters,
        limit: pageSize(request.pageSize),
        afterSeq: pageToken(request.pageToken),
      });
      return {
        messages: page.messages.map(messageToWire),
        nextPageToken: page.nextAfterSeq === null ? "" : String(page.nextAfterSeq),
      };
    }),

    getMailbox: unary(async (request) => {
      const agentId = requireId(request.agentId, "agent_id");
      const view = hub.mailbox(agentId, pageSize(request.limit, DEFAULT_MAILBOX_PAGE, "limit"));
      const dropped = await state.store.messageDrops(agentId);
      return {
        messages: view.messages.map(messageToWire),
        ackedSeq: view.ackedSeq,
        pending: view.pending,
        dropped: dropped.map((d) => ({ messageSeq: d.messageSeq, reason: d.reason, atMs: d.at })),
      };
    }),

    ackMessages: unary(async (request) => {
      const agentId = requireId(request.agentId, "agent_id");
      const ackedSeq = hub.ack(agentId, request.upToSeq);
      await state.committer.durable();
      return { ackedSeq };
    }),

    subscribe: (call: ServerWritableStream<SubscribeRequest, WireMessage>) => {
      try {
        subscribe(state, hub, call);
      } catch (error) {
        call.emit("error", toGrpcStatus(error));
      }
    },

    requestCollaboration: unary(async (request) => {
      const record = await collaborations.request({
        taskId: requireId(request.taskId, "task_id"),
        requester: requireId(request.requester, "requester"),
        capabilities: request.capabilities,
        subject: request.subject,
        context: collaborationContextFromWire(request.contextJson, "context_json"),
        answerTimeoutMs: request.answerTimeoutMs,
      });
      return { collaboration: collaborationToWire(record) };
    }),

    listCollaborations: unary(async (request) => {
      const taskId = requireId(request.taskId, "task_id");
      return { collaborations: (await collaborations.list(taskId)).map(collaborationToWire) };
    }),
  };
}

/**
 * An external worker's live mail: the hub delivers into the call; acknowledgements come
 * through AckMessages. One subscription per worker at a time (a new one replaces the old).
 */
function subscribe(
  state: CoordinatorState,
  hub: MessageHub,
  call: ServerWritableStream<SubscribeRequest, WireMessage>,
): void {
  const agentId = requireId(call.request.agentId, "agent_id");
  const agent = state.agents.get(agentId);
  if (agent === undefined) throw AppError.notFound("agent", agentId);
  if (agent.record.transport === "stream") {
    throw new AppError(
      "failed_precondition",
      `agent ${agentId} receives its mail on its Connect stream; Subscribe is for external workers`,
      { field: "agent_id" },
    );
  }
  const sink: MailSink = {
    deliver: (messages: MessageRecord[]) => {
      for (const message of messages) call.write(wireOf(message));
    },
  };
  const stop = () => hub.detach(agentId, sink);
  call.on("cancelled", stop);
  call.on("close", stop);
  call.on("error", stop);
  hub.attach(agentId, sink);
}
