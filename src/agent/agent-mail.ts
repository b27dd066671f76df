import { messageFromWire, messageSpecToWire } from "../contract/index.js";
import {
  AppError,
  isErrorCode,
  isJsonObject,
  type JsonObject,
  type MessageRecord,
  type MessageSpec,
} from "../domain/index.js";
import type { AgentMessage, MessageSent } from "../gen/mcp/v1/agent.js";
import type { Message as WireMessage } from "../gen/mcp/v1/hub.js";
import type { Logger } from "../observability/index.js";

/** What the mail needs of the agent it belongs to. */
export interface MailHost {
  readonly agentId: string;
  /** Queues a message on the stream; false while disconnected. */
  send(message: AgentMessage): boolean;
  /** Decides on a request for help: accept, or decline with a reason. */
  considerCollaboration(capabilities: string[]): { accepted: boolean; reason: string };
  /** The answer to a "status" request. */
  status(): JsonObject;
}

/** Messages kept per task for its runs' context, and tasks remembered. */
const PER_TASK = 100;
const TASKS_REMEMBERED = 1_000;
/** Recent messages kept for the AgentService. */
const RECENT = 200;
/** Subjects of requests the agent answers itself. */
const ANSWERED_SUBJECTS = ["status"];

type SendOutcome = { message: MessageRecord } | { error: AppError };

/**
 * The agent's side of the message hub: it handles mail in seq order (once, even when the hub
 * delivers again after a reconnect), acknowledges it, answers status requests and requests
 * for help, keeps task-related messages for the runs of that task, and sends messages and
 * requests of its own.
 */
export class AgentMail {
  private handledSeq = 0;
  private ackScheduled = false;
  private nextRef = 1;
  private readonly sends = new Map<
    string,
    { spec: Omit<MessageSpec, "sender">; settle: (outcome: SendOutcome) => void }
  >();
  private readonly responseWaiters = new Map<string, (response: MessageRecord) => void>();
  private readonly byTask = new Map<string, MessageRecord[]>();
  private readonly listeners: Array<(message: MessageRecord) => void> = [];
  private readonly recentMessages: MessageRecord[] = [];
  receivedCount = 0;

  constructor(
    private readonly host: MailHost,
    private readonly logger: Logger,
  ) {}

  /** Called for every message delivered to the agent (after the built-in handling). */
  onMessage(listener: (message: MessageRecord) => void): void {
    this.listeners.push(listener);
  }

  get lastHandledSeq(): number {
    return this.handledSeq;
  }

  /** The most recent messages handled, oldest first. */
  recent(limit: number): readonly MessageRecord[] {
    return this.recentMessages.slice(-limit);
  }

  /** Messages received about a task, oldest first. */
  forTask(taskId: string): readonly MessageRecord[] {
    return this.byTask.get(taskId) ?? [];
  }

  deliver(wire: WireMessage): void {
    if (wire.seq <= this.handledSeq) {
      // Delivered again (the previous acknowledgement was lost with a connection).
      this.scheduleAck();
      return;
    }
    let message: MessageRecord;
    try {
      message = messageFromWire(wire, "delivery");
    } catch (error) {
      this.logger.warn(
        { err: AppError.from(error).message, seq: wire.seq },
        "undecodable message skipped",
      );
      this.handledSeq = wire.seq;
      this.scheduleAck();
      return;
    }
    this.handledSeq = message.seq;
    this.receivedCount += 1;
    this.recentMessages.push(message);
    if (this.recentMessages.length > RECENT) this.recentMessages.shift();
    this.scheduleAck();
    this.keepForTask(message);
    if (message.type === "response" && message.correlationId !== null) {
      this.responseWaiters.get(message.correlationId)?.(message);
    } else if (message.type === "collaborate") {
      this.answerCollaboration(message);
    } else if (message.type === "request") {
      this.answerRequest(message);
    }
    for (const listener of this.listeners) listener(message);
  }

  /** The hub's answer to one of our sends. */
  sent(answer: MessageSent): void {
    const pending = this.sends.get(answer.ref);
    if (pending === undefined) return;
    this.sends.delete(answer.ref);
    const settle = pending.settle;
    const stored = answer.stored;
    if (stored !== undefined) {
      const spec = pending.spec;
      settle({
        message: {
          id: stored.id,
          seq: stored.seq,
          type: spec.type,
          sender: this.host.agentId,
          to: spec.type === "broadcast" ? { kind: "everyone" } : spec.to,
          recipients: stored.recipients,
          subject: spec.subject.trim(),
          body: spec.body,
          taskId: spec.taskId,
          projectId: spec.projectId,
          replyTo: spec.replyTo,
          correlationId: spec.correlationId,
          createdAt: stored.createdAtMs,
          expiresAt: stored.expiresAtMs,
        },
      });
    } else {
      const code = answer.error?.code ?? "internal";
      settle({
        error: new AppError(
          isErrorCode(code) ? code : "internal",
          answer.error?.message ?? "the hub refused the message",
        ),
      });
    }
  }

  /** The connection is gone: sends in flight will never be answered. */
  connectionLost(): void {
    for (const { settle } of this.sends.values()) {
      settle({
        error: new AppError(
          "unavailable",
          "the connection to the coordinator was lost before the hub confirmed the message",
        ),
      });
    }
    this.sends.clear();
  }

  /** Sends a message as this agent; resolves once the hub has stored it. */
  send(spec: Omit<MessageSpec, "sender">): Promise<MessageRecord> {
    const ref = String(this.nextRef++);
    return new Promise((resolve, reject) => {
      const queued = this.host.send({
        kind: {
          $case: "send",
          value: { ref, message: messageSpecToWire({ ...spec, sender: this.host.agentId }) },
        },
      });
      if (!queued) {
        reject(new AppError("unavailable", "not connected to the coordinator"));
        return;
      }
      this.sends.set(ref, {
        spec,
        settle: (outcome) =>
          "message" in outcome ? resolve(outcome.message) : reject(outcome.error),
      });
    });
  }

  /** Sends a request and resolves with its first response, or rejects at its deadline. */
  async request(spec: Omit<MessageSpec, "sender" | "type">): Promise<MessageRecord> {
    const request = await this.send({ ...spec, type: "request" });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.responseWaiters.delete(request.id);
          reject(
            new AppError(
              "deadline_exceeded",
              `no response to request ${request.id} (${request.subject}) within ${request.expiresAt - request.createdAt} ms`,
              { request_id: request.id },
            ),
          );
        },
        Math.max(0, request.expiresAt - Date.now()),
      );
      this.responseWaiters.set(request.id, (response) => {
        clearTimeout(timer);
        this.responseWaiters.delete(request.id);
        resolve(response);
      });
    });
  }

  private scheduleAck(): void {
    if (this.ackScheduled) return;
    this.ackScheduled = true;
    queueMicrotask(() => {
      this.ackScheduled = false;
      this.host.send({ kind: { $case: "messageAck", value: { upToSeq: this.handledSeq } } });
    });
  }

  private keepForTask(message: MessageRecord): void {
    if (message.taskId === null) return;
    let list = this.byTask.get(message.taskId);
    if (list === undefined) {
      list = [];
      this.byTask.set(message.taskId, list);
      if (this.byTask.size > TASKS_REMEMBERED) {
        const oldest = this.byTask.keys().next().value;
        if (oldest !== undefined) this.byTask.delete(oldest);
      }
    }
    list.push(message);
    if (list.length > PER_TASK) list.shift();
  }

  private answerCollaboration(message: MessageRecord): void {
    const body = message.body;
    const capabilities =
      isJsonObject(body) && Array.isArray(body.capabilities)
        ? body.capabilities.filter((c): c is string => typeof c === "string")
        : [];
    const decision = this.host.considerCollaboration(capabilities);
    this.logger.info(
      { message_id: message.id, task_id: message.taskId, ...decision },
      decision.accepted ? "collaboration accepted" : "collaboration declined",
    );
    this.respond(message, { accepted: decision.accepted, reason: decision.reason });
  }

  private answerRequest(message: MessageRecord): void {
    if (message.subject === "status") {
      this.respond(message, this.host.status());
      return;
    }
    this.respond(message, {
      error: `this agent does not answer requests about ${JSON.stringify(message.subject)}`,
      answers: ANSWERED_SUBJECTS,
    });
  }

  private respond(request: MessageRecord, body: JsonObject): void {
    this.send({
      type: "response",
      to: null,
      subject: request.subject,
      body,
      taskId: request.taskId,
      projectId: request.projectId,
      replyTo: request.id,
      correlationId: request.id,
      ttlMs: 0,
    }).catch((error: unknown) => {
      this.logger.warn(
        { request_id: request.id, err: AppError.from(error).message },
        "could not answer a request",
      );
    });
  }
}
