import type { MessageRecord } from "../../domain/index.js";

/** Where a mailbox hands its messages: an agent's stream, or a worker's subscription. */
export interface MailSink {
  deliver(messages: MessageRecord[]): void;
}

export interface MailboxLimits {
  /** Delivered but unacknowledged messages at most; then the mailbox waits for acks. */
  window: number;
  /** Undelivered messages kept in memory at most; the rest wait in the store. */
  maxQueued: number;
}

export const DEFAULT_MAILBOX_LIMITS: MailboxLimits = { window: 512, maxQueued: 10_000 };

/**
 * One agent's mailbox: messages in seq order, delivered through at most one sink at a time,
 * at most `window` unacknowledged at once (a slow or stuck recipient stops receiving; nobody
 * else waits for it). Acks are cumulative. When more than `maxQueued` messages wait, the
 * newest stay only in the store: the mailbox remembers from where, and the hub reloads them
 * as the queue drains. Nothing here is durable; the hub stages cursors and drops.
 */
export class Mailbox {
  /** Sent, not yet acknowledged, in seq order. */
  private inflight: MessageRecord[] = [];
  /** Not yet sent, in seq order, all after `inflight`. */
  private queue: MessageRecord[] = [];
  private sink: MailSink | null = null;
  /**
   * When set, messages for this agent with a seq above it are in the store but not in
   * memory: everything up to it is queued, in flight or acknowledged.
   */
  spilledAfter: number | null = null;
  /** The highest seq turned away while spilled: a reload must get past it to end the spill. */
  private spillHigh = 0;

  constructor(
    readonly agentId: string,
    /** Everything up to and including this seq is acknowledged. */
    public ackedSeq: number,
    private readonly limits: MailboxLimits = DEFAULT_MAILBOX_LIMITS,
  ) {}

  get attached(): boolean {
    return this.sink !== null;
  }

  /** Messages not yet acknowledged that are in memory. */
  get pendingInMemory(): number {
    return this.inflight.length + this.queue.length;
  }

  get inflightCount(): number {
    return this.inflight.length;
  }

  /** The highest seq this mailbox holds or has acknowledged. */
  get lastSeq(): number {
    return this.queue.at(-1)?.seq ?? this.inflight.at(-1)?.seq ?? this.ackedSeq;
  }

  /** Adds a new message (seq above anything held); false when it stays only in the store. */
  enqueue(message: MessageRecord): boolean {
    if (message.seq <= this.ackedSeq) return false;
    if (this.spilledAfter === null && this.queue.length >= this.limits.maxQueued) {
      this.spilledAfter = this.lastSeq;
    }
    if (this.spilledAfter !== null) {
      this.spillHigh = Math.max(this.spillHigh, message.seq);
      return false;
    }
    this.queue.push(message);
    return true;
  }

  /**
   * Takes reloaded messages (this mailbox's, in seq order). `reachedEnd` says the reload read
   * up to the newest message in the store; the spill ends when it did and nothing was left out.
   */
  refill(messages: readonly MessageRecord[], reachedEnd: boolean): void {
    let complete = true;
    for (const message of messages) {
      if (message.seq <= this.lastSeq) continue;
      if (this.queue.length >= this.limits.maxQueued) {
        complete = false;
        break;
      }
      this.queue.push(message);
    }
    if (reachedEnd && complete && this.lastSeq >= this.spillHigh) this.spilledAfter = null;
    else if (this.spilledAfter !== null) this.spilledAfter = this.lastSeq;
  }

  /** Starts delivering to `sink`; whatever was in flight is sent again, first. */
  attach(sink: MailSink): void {
    this.sink = sink;
    this.requeueInflight();
  }

  /** Stops delivering (if `sink` is still the current one); in-flight messages wait again. */
  detach(sink?: MailSink): void {
    if (sink !== undefined && this.sink !== sink) return;
    this.sink = null;
    this.requeueInflight();
  }

  /**
   * Acknowledges everything up to `upTo`; returns the messages it released (in flight or
   * queued), or null when it moves nothing.
   */
  ack(upTo: number): MessageRecord[] | null {
    if (upTo <= this.ackedSeq) return null;
    this.ackedSeq = upTo;
    let n = 0;
    while (n < this.inflight.length && (this.inflight[n] as MessageRecord).seq <= upTo) n += 1;
    const released = this.inflight.splice(0, n);
    n = 0;
    while (n < this.queue.length && (this.queue[n] as MessageRecord).seq <= upTo) n += 1;
    released.push(...this.queue.splice(0, n));
    if (this.spilledAfter !== null && this.spilledAfter < upTo) this.spilledAfter = upTo;
    return released;
  }

  /**
   * Sends what the window allows. Expired messages are taken out instead and returned, so
   * that the hub records them.
   */
  pump(now: number): { sent: MessageRecord[]; expired: MessageRecord[] } {
    const sent: MessageRecord[] = [];
    const expired: MessageRecord[] = [];
    const sink = this.sink;
    if (sink === null) return { sent, expired };
    while (this.inflight.length < this.limits.window && this.queue.length > 0) {
      const message = this.queue.shift() as MessageRecord;
      if (message.expiresAt <= now) {
        expired.push(message);
        continue;
      }
      this.inflight.push(message);
      sent.push(message);
    }
    if (sent.length > 0) sink.deliver(sent);
    return { sent, expired };
  }

  /** Takes expired messages out of the undelivered queue (delivered ones are not recalled). */
  takeExpired(now: number): MessageRecord[] {
    // Expiry times are not in seq order (each message has its own time to live).
    if (!this.queue.some((m) => m.expiresAt <= now)) return [];
    const expired = this.queue.filter((m) => m.expiresAt <= now);
    this.queue = this.queue.filter((m) => m.expiresAt > now);
    return expired;
  }

  /** Messages waiting, oldest first: in flight, then queued (for reading a mailbox). */
  peek(limit: number): MessageRecord[] {
    return [...this.inflight, ...this.queue].slice(0, limit);
  }

  /** Whether the queue has room to take reloaded messages. */
  get wantsRefill(): boolean {
    return this.spilledAfter !== null && this.queue.length < this.limits.maxQueued / 2;
  }

  private requeueInflight(): void {
    if (this.inflight.length === 0) return;
    this.queue = [...this.inflight, ...this.queue];
    this.inflight = [];
  }
}
