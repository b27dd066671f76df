import { messageSpecFromWire } from "../../contract/index.js";
import { AppError, type MessageRecord, type MessageSpec } from "../../domain/index.js";
import type { CoordinatorMessage, OutgoingMessage } from "../../gen/mcp/v1/agent.js";
import type { AgentSession } from "../agent-entry.js";
import type { CoordinatorState } from "../coordinator-state.js";
import type { MailSink } from "./mailbox.js";
import type { MessageHub } from "./message-hub.js";
import { wireOf } from "./message-wire-cache.js";

type MessageSentValue = Extract<
  NonNullable<CoordinatorMessage["kind"]>,
  { $case: "messageSent" }
>["value"];

/**
 * The hub's side of agents' Connect streams: deliveries ride in the session's frames, what an
 * agent sends is relayed to the hub and answered with MessageSent once durable, and its
 * cumulative acknowledgements move its mailbox on.
 */
export class StreamMail {
  /** Each registered session's mail sink. */
  private readonly sinks = new WeakMap<AgentSession, MailSink>();

  constructor(
    private readonly state: CoordinatorState,
    private readonly hub: MessageHub,
  ) {}

  /** Starts delivering `agentId`'s mail on `session` (after its Registered, in the same frame). */
  attach(agentId: string, session: AgentSession): void {
    const committer = this.state.committer;
    const sink: MailSink = {
      deliver: (messages) => {
        for (const m of messages)
          committer.send(session, { kind: { $case: "delivery", value: wireOf(m) } });
      },
    };
    this.sinks.set(session, sink);
    this.hub.attach(agentId, sink);
  }

  detach(agentId: string, session: AgentSession): void {
    const sink = this.sinks.get(session);
    if (sink) this.hub.detach(agentId, sink);
  }

  /** A message the agent sends through the hub; answered with MessageSent once durable. */
  relay(agentId: string, session: AgentSession, outgoing: OutgoingMessage): void {
    const answer = (outcome: MessageRecord | AppError) => {
      const value: MessageSentValue =
        outcome instanceof AppError
          ? {
              ref: outgoing.ref,
              error: { code: outcome.code, message: outcome.message, retryable: outcome.retryable },
            }
          : {
              ref: outgoing.ref,
              stored: {
                id: outcome.id,
                seq: outcome.seq,
                recipients: outcome.recipients,
                createdAtMs: outcome.createdAt,
                expiresAtMs: outcome.expiresAt,
              },
            };
      this.state.committer.send(session, { kind: { $case: "messageSent", value } });
    };
    let spec: MessageSpec;
    try {
      spec = messageSpecFromWire(outgoing.message, "send.message");
    } catch (error) {
      answer(AppError.from(error));
      return;
    }
    this.hub.submit(spec, agentId, answer);
  }

  /** The agent handled its mail up to `upTo`; a bad ack is logged, the stream goes on. */
  ack(agentId: string, upTo: number): void {
    try {
      this.hub.ack(agentId, upTo);
    } catch (error) {
      this.state.logger.warn(
        { agent_id: agentId, up_to_seq: upTo, err: AppError.from(error).message },
        "message ack refused",
      );
    }
  }
}
