import {
  AppError,
  effectiveTtlMs,
  type MessageRecord,
  type MessageSpec,
  messageIdOf,
  validateMessageSpec,
} from "../../domain/index.js";
import type { MessagePage, MessageQuery } from "../../store/index.js";
import type { CoordinatorState } from "../coordinator-state.js";
import { DEFAULT_MAILBOX_LIMITS, type MailSink, Mailbox, type MailboxLimits } from "./mailbox.js";
import { PendingRequests, type RequestInfo } from "./pending-requests.js";
import { resolveRecipients, resolveRecipientsNow } from "./recipients.js";

/** Messages read from the store per page when rebuilding or reloading mailboxes. */
const RELOAD_PAGE = 1_000;
const SWEEP_MS = 1_000;
const RELOAD_RETRY_MS = 1_000;

/** Told about every message once it is durable, and about every delivery and drop. */
export interface HubObserver {
  onMessage?(message: MessageRecord): void;
  onDelivered?(agentId: string, count: number): void;
  onDropped?(agentId: string, message: MessageRecord): void;
}

export interface MailboxView {
  messages: MessageRecord[];
  ackedSeq: number;
  /** Unacknowledged messages in memory (more may wait in the store when a mailbox spilled). */
  pending: number;
}

/**
 * The message hub: resolves recipients, makes each message durable before acknowledging it,
 * and delivers it from each recipient's mailbox in seq order, with acknowledgements. Responses
 * find their requester by correlation id; requests can be waited for until their deadline.
 */
export class MessageHub {
  private readonly mailboxes = new Map<string, Mailbox>();
  private readonly pending = new PendingRequests();
  private readonly observers: HubObserver[] = [];
  /** Per sender, the send being prepared: keeps one sender's messages in order. */
  private readonly senderChains = new Map<string, Promise<unknown>>();
  private readonly reloading = new Set<Mailbox>();
  private seq = 0;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly state: CoordinatorState,
    private readonly limits: MailboxLimits = DEFAULT_MAILBOX_LIMITS,
  ) {}

  observe(observer: HubObserver): void {
    this.observers.push(observer);
  }

  /** Rebuilds every mailbox from the store and starts the expiry sweep. */
  async start(): Promise<void> {
    const store = this.state.store;
    this.seq = await store.maxMessageSeq();
    const cursors = new Map((await store.mailboxCursors()).map((c) => [c.recipient, c.ackedSeq]));
    for (const agent of this.state.agents.all()) this.mailboxFor(agent.id, cursors.get(agent.id));
    let after = Math.min(...[...this.mailboxes.values()].map((m) => m.ackedSeq), this.seq);
    for (;;) {
      const page = await store.messagesAfter(after, RELOAD_PAGE);
      for (const message of page) {
        this.rememberIfRequest(message);
        for (const id of message.recipients) this.mailboxes.get(id)?.enqueue(message);
      }
      if (page.length < RELOAD_PAGE) break;
      after = (page.at(-1) as MessageRecord).seq;
    }
    this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  close(): void {
    if (this.sweeper !== null) clearInterval(this.sweeper);
    this.sweeper = null;
    this.pending.close();
  }

  /**
   * Validates, resolves and stores a message; resolves once it is durable. `fromAgent` is the
   * agent sending over its own stream: it is the sender, whatever the spec says.
   */
  async send(spec: MessageSpec, fromAgent?: string): Promise<MessageRecord> {
    return this.sendValid(
      validateMessageSpec(fromAgent === undefined ? spec : { ...spec, sender: fromAgent }),
    );
  }

  /** Stores a message already validated, after this sender's earlier ones; resolves when durable. */
  private async sendValid(valid: MessageSpec): Promise<MessageRecord> {
    const record = await this.inSenderOrder(valid.sender, () => this.stage(valid));
    await this.state.committer.durable();
    return record;
  }

  /**
   * Like {@link send}, with the outcome handed to `done` once durable (or refused). The common
   * case (no task or project to look up, recipients known in memory, nothing of this sender's
   * still being prepared) is staged at once, with no promise per message: the hub's hot path.
   */
  submit(
    spec: MessageSpec,
    fromAgent: string,
    done: (outcome: MessageRecord | AppError) => void,
  ): void {
    let valid: MessageSpec;
    try {
      valid = validateMessageSpec({ ...spec, sender: fromAgent });
    } catch (error) {
      done(AppError.from(error));
      return;
    }
    const to = valid.to;
    if (
      valid.taskId !== null ||
      valid.projectId !== null ||
      valid.type === "response" ||
      to === null ||
      to.kind === "project" ||
      this.senderChains.has(valid.sender)
    ) {
      this.sendValid(valid).then(done, (error: unknown) => done(AppError.from(error)));
      return;
    }
    let record: MessageRecord;
    try {
      const recipients = resolveRecipientsNow(
        this.state,
        to,
        (id) => this.waitingFor(id),
        "message.to",
      );
      record = this.stageResolved(valid, recipients);
    } catch (error) {
      done(AppError.from(error));
      return;
    }
    this.state.committer.afterCommit(() => done(record));
  }

  /** Sends a message the hub itself makes (collaboration requests); no type restrictions. */
  async sendAsHub(
    spec: Omit<MessageSpec, "sender"> & { to: NonNullable<MessageSpec["to"]> },
  ): Promise<MessageRecord> {
    const record = await this.stage({ ...spec, sender: "hub" });
    await this.state.committer.durable();
    return record;
  }

  /** Sends a request and waits for its first response until the request's deadline. */
  async request(spec: MessageSpec): Promise<{ request: MessageRecord; response: MessageRecord }> {
    if (spec.type !== "request") {
      throw AppError.invalidArgument("message.type", "a request must be of type request");
    }
    const request = await this.send(spec);
    const response = await this.waitForResponse(request.id, request.expiresAt - Date.now());
    if (response === null) {
      throw new AppError(
        "deadline_exceeded",
        `no response to request ${request.id} within ${request.expiresAt - request.createdAt} ms`,
        { request_id: request.id, recipients: request.recipients },
      );
    }
    return { request, response };
  }

  /** The first response to `requestId`, or null after `timeoutMs`. */
  waitForResponse(requestId: string, timeoutMs: number): Promise<MessageRecord | null> {
    return this.pending.wait(requestId, timeoutMs);
  }

  /** Acknowledges an agent's mail up to `upTo`; returns the acknowledged seq. */
  ack(agentId: string, upTo: number): number {
    const mailbox = this.requireMailbox(agentId);
    if (!Number.isSafeInteger(upTo) || upTo < 0 || upTo > this.seq) {
      throw AppError.invalidArgument(
        "up_to_seq",
        `up_to_seq must be from 0 to ${this.seq} (the newest message), not ${upTo}`,
      );
    }
    if (mailbox.ack(upTo) !== null) {
      this.state.committer.stageMailboxCursor({
        recipient: agentId,
        ackedSeq: upTo,
        updatedAt: Date.now(),
      });
      this.pump(mailbox);
    }
    return mailbox.ackedSeq;
  }

  /** Starts delivering an agent's mail to `sink` (its stream, or a subscription). */
  attach(agentId: string, sink: MailSink): void {
    const mailbox = this.mailboxFor(agentId);
    mailbox.attach(sink);
    this.pump(mailbox);
  }

  /** Stops delivering to `sink`; unacknowledged messages wait for the next one. */
  detach(agentId: string, sink: MailSink): void {
    this.mailboxes.get(agentId)?.detach(sink);
  }

  /** Whether an agent's mail is being delivered somewhere right now. */
  isAttached(agentId: string): boolean {
    return this.mailboxes.get(agentId)?.attached ?? false;
  }

  /** What waits in an agent's mailbox, oldest first. */
  mailbox(agentId: string, limit: number): MailboxView {
    const mailbox = this.requireMailbox(agentId);
    return {
      messages: mailbox.peek(limit),
      ackedSeq: mailbox.ackedSeq,
      pending: mailbox.pendingInMemory,
    };
  }

  /** Messages waiting for `agentId` in memory (routing tie-breaker). */
  waitingFor(agentId: string): number {
    return this.mailboxes.get(agentId)?.pendingInMemory ?? 0;
  }

  list(query: MessageQuery): Promise<MessagePage> {
    return this.state.store.listMessages(query);
  }

  /** Expires what waited too long, forgets past requests. */
  sweep(now = Date.now()): void {
    for (const mailbox of this.mailboxes.values()) {
      for (const message of mailbox.takeExpired(now)) this.dropped(mailbox, message, now);
    }
    this.pending.prune(now);
  }

  private mailboxFor(agentId: string, ackedSeq?: number): Mailbox {
    let mailbox = this.mailboxes.get(agentId);
    if (mailbox === undefined) {
      mailbox = new Mailbox(agentId, ackedSeq ?? 0, this.limits);
      this.mailboxes.set(agentId, mailbox);
    }
    return mailbox;
  }

  private requireMailbox(agentId: string): Mailbox {
    if (this.state.agents.get(agentId) === undefined) throw AppError.notFound("agent", agentId);
    return this.mailboxFor(agentId);
  }

  private async inSenderOrder<T>(sender: string, work: () => Promise<T>): Promise<T> {
    const previous = this.senderChains.get(sender) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.senderChains.set(sender, settled);
    void settled.then(() => {
      if (this.senderChains.get(sender) === settled) this.senderChains.delete(sender);
    });
    return next;
  }

  /** Checks references, resolves recipients, assigns the seq and stages the message. */
  private async stage(spec: MessageSpec): Promise<MessageRecord> {
    await this.checkReferences(spec);
    let recipients: string[];
    if (spec.type === "response") {
      const request = await this.findRequest(spec.correlationId as string);
      recipients =
        spec.to !== null
          ? await resolveRecipients(this.state, spec.to, (id) => this.waitingFor(id), "message.to")
          : this.state.agents.get(request.sender) !== undefined
            ? [request.sender]
            : [];
    } else {
      recipients = await resolveRecipients(
        this.state,
        spec.to as NonNullable<MessageSpec["to"]>,
        (id) => this.waitingFor(id),
        "message.to",
      );
    }
    return this.stageResolved(spec, recipients);
  }

  /** Assigns the seq and stages a message whose recipients are known. */
  private stageResolved(spec: MessageSpec, recipients: string[]): MessageRecord {
    const now = Date.now();
    const seq = ++this.seq;
    const record: MessageRecord = {
      id: messageIdOf(seq),
      seq,
      type: spec.type,
      sender: spec.sender,
      to: spec.to,
      recipients,
      subject: spec.subject,
      body: spec.body,
      taskId: spec.taskId,
      projectId: spec.projectId,
      replyTo: spec.replyTo,
      correlationId: spec.correlationId,
      createdAt: now,
      expiresAt: now + effectiveTtlMs(spec.type, spec.ttlMs),
    };
    const committer = this.state.committer;
    committer.stageMessage(record);
    committer.afterCommit(() => this.durable(record));
    return record;
  }

  private async checkReferences(spec: MessageSpec): Promise<void> {
    const store = this.state.store;
    if (spec.taskId !== null && !this.state.tasks.has(spec.taskId)) {
      if ((await store.getTask(spec.taskId)) === null) {
        throw new AppError("not_found", `task ${JSON.stringify(spec.taskId)} does not exist`, {
          field: "message.task_id",
        });
      }
    }
    if (spec.projectId !== null && (await store.getProject(spec.projectId)) === null) {
      throw new AppError("not_found", `project ${JSON.stringify(spec.projectId)} does not exist`, {
        field: "message.project_id",
      });
    }
  }

  private async findRequest(id: string): Promise<RequestInfo> {
    const request = this.pending.get(id) ?? (await this.storedRequest(id));
    if (request.expiresAt <= Date.now()) {
      throw new AppError(
        "failed_precondition",
        `request ${id} expired at ${new Date(request.expiresAt).toISOString()}: its requester stopped waiting`,
        { field: "message.correlation_id", request_id: id },
      );
    }
    return request;
  }

  private async storedRequest(id: string): Promise<RequestInfo> {
    const message = await this.state.store.getMessage(id);
    if (message === null) {
      throw new AppError("not_found", `request ${JSON.stringify(id)} does not exist`, {
        field: "message.correlation_id",
      });
    }
    if (message.type !== "request" && message.type !== "collaborate") {
      throw new AppError(
        "failed_precondition",
        `message ${id} is a ${message.type}, not a request: there is nothing to respond to`,
        { field: "message.correlation_id" },
      );
    }
    return { id: message.id, sender: message.sender, expiresAt: message.expiresAt };
  }

  private rememberIfRequest(message: MessageRecord): void {
    if (message.type === "request" || message.type === "collaborate")
      this.pending.remember(message);
  }

  /** The message is durable: wake whoever waits for it and queue it for its recipients. */
  private durable(message: MessageRecord): void {
    this.rememberIfRequest(message);
    if (message.type === "response") this.pending.answer(message);
    for (const id of message.recipients) {
      const mailbox = this.mailboxFor(id);
      mailbox.enqueue(message);
      this.pump(mailbox);
    }
    for (const o of this.observers) o.onMessage?.(message);
  }

  private pump(mailbox: Mailbox): void {
    const now = Date.now();
    const { sent, expired } = mailbox.pump(now);
    for (const message of expired) this.dropped(mailbox, message, now);
    if (sent.length > 0)
      for (const o of this.observers) o.onDelivered?.(mailbox.agentId, sent.length);
    if (mailbox.wantsRefill) void this.reload(mailbox);
  }

  private dropped(mailbox: Mailbox, message: MessageRecord, now: number): void {
    this.state.committer.stageMessageDrop({
      recipient: mailbox.agentId,
      messageSeq: message.seq,
      reason: `expired at ${new Date(message.expiresAt).toISOString()} before it could be delivered`,
      at: now,
    });
    this.state.logger.debug(
      { agent_id: mailbox.agentId, message_id: message.id },
      "message expired before delivery",
    );
    for (const o of this.observers) o.onDropped?.(mailbox.agentId, message);
  }

  /** Brings messages that stayed only in the store back into a mailbox with room. */
  private async reload(mailbox: Mailbox): Promise<void> {
    if (this.reloading.has(mailbox)) return;
    this.reloading.add(mailbox);
    try {
      const found: MessageRecord[] = [];
      let after = mailbox.lastSeq;
      let reachedEnd = false;
      while (found.length < this.limits.maxQueued / 2) {
        const page = await this.state.store.messagesAfter(after, RELOAD_PAGE);
        for (const m of page) if (m.recipients.includes(mailbox.agentId)) found.push(m);
        if (page.length < RELOAD_PAGE) {
          reachedEnd = true;
          break;
        }
        after = (page.at(-1) as MessageRecord).seq;
      }
      mailbox.refill(found, reachedEnd);
    } catch (error) {
      this.state.logger.error(
        { agent_id: mailbox.agentId, err: AppError.from(error).message },
        "reloading a mailbox from the store failed; retrying in a second",
      );
      setTimeout(() => {
        this.reloading.delete(mailbox);
        this.pump(mailbox);
      }, RELOAD_RETRY_MS).unref();
      return;
    }
    this.reloading.delete(mailbox);
    this.pump(mailbox);
  }
}
