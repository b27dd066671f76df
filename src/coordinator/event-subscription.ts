import {
  AppError,
  type EventTopic,
  STREAM_NOTICE_TOPIC,
  type StreamEvent,
  type StreamNotice,
  type SystemEvent,
} from "../domain/index.js";

/** Which events a subscriber receives; every part that is set must match. */
export interface EventFilter {
  /** Empty: every topic. */
  topics: readonly EventTopic[];
  projectId: string | null;
  taskId: string | null;
  agentId: string | null;
}

/** Where a subscriber's events go (a gRPC call, in tests an array). */
export interface EventSink {
  /**
   * Takes one event. False means the sink is full (the event was still taken): the bus holds
   * the events that follow until the sink calls the `resume` it is given by {@link onDrain}.
   */
  write(event: StreamEvent): boolean;
  /** Calls `resume` once, when the sink can take events again after `write` returned false. */
  onDrain(resume: () => void): void;
  /** The bus ended the subscription: the sink stalled too long, or the bus closed. */
  close(reason: AppError): void;
}

export interface SubscriptionLimits {
  queueLimit: number;
  stallTimeoutMs: number;
}

/** Counted across every subscription of a bus (for the metrics). */
export interface DeliveryTotals {
  dropped: number;
  disconnected: number;
}

/**
 * One subscriber of the bus: its filter, and the queue that lets a slow sink fall behind
 * without slowing anyone else. While the sink is full, events wait in a bounded queue; once
 * that is full they are dropped and counted, and when the sink has taken everything queued it
 * gets one "lagged" notice with the count before live events resume. A sink that stays full
 * for `stallTimeoutMs` is disconnected.
 */
export class EventSubscription {
  private queue: StreamEvent[] = [];
  private dropped = 0;
  private lastDroppedSeq = 0;
  /** The sink said it is full and has not drained yet. */
  private waiting = false;
  private stallTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly topics: ReadonlySet<EventTopic> | null;

  constructor(
    readonly filter: EventFilter,
    private readonly sink: EventSink,
    private readonly limits: SubscriptionLimits,
    private readonly totals: DeliveryTotals,
    private readonly onEnded: (subscription: EventSubscription) => void,
  ) {
    this.topics = filter.topics.length > 0 ? new Set(filter.topics) : null;
  }

  matches(event: SystemEvent): boolean {
    const f = this.filter;
    return (
      (this.topics === null || this.topics.has(event.topic)) &&
      (f.projectId === null || f.projectId === event.projectId) &&
      (f.taskId === null || f.taskId === event.taskId) &&
      (f.agentId === null || f.agentId === event.agentId)
    );
  }

  /** Hands `event` to the sink now, or queues it, or drops it when the queue is full. */
  offer(event: StreamEvent): void {
    if (this.closed) return;
    if (!this.waiting && this.queue.length === 0 && this.dropped === 0) {
      this.write(event);
      return;
    }
    // Once events are lost, later ones are dropped too until the queue is empty, so that
    // the lagged notice marks the one gap where it is.
    if (this.dropped > 0 || this.queue.length >= this.limits.queueLimit) {
      this.dropped += 1;
      this.lastDroppedSeq = event.seq;
      this.totals.dropped += 1;
      return;
    }
    this.queue.push(event);
  }

  /** Ends the subscription without telling the sink (the subscriber left). */
  cancel(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearStallTimer();
    this.queue = [];
    this.onEnded(this);
  }

  /** Ends the subscription and tells the sink why. */
  end(reason: AppError): void {
    if (this.closed) return;
    this.cancel();
    this.sink.close(reason);
  }

  private write(event: StreamEvent): void {
    if (this.sink.write(event) || this.closed) return;
    this.waiting = true;
    this.stallTimer = setTimeout(() => this.stalled(), this.limits.stallTimeoutMs);
    this.stallTimer.unref();
    this.sink.onDrain(() => this.resume());
  }

  private resume(): void {
    if (this.closed || !this.waiting) return;
    this.waiting = false;
    this.clearStallTimer();
    let sent = 0;
    while (!this.waiting && !this.closed && sent < this.queue.length) {
      const event = this.queue[sent] as StreamEvent;
      sent += 1;
      this.write(event);
    }
    this.queue = sent === this.queue.length ? [] : this.queue.slice(sent);
    if (!this.waiting && !this.closed && this.queue.length === 0 && this.dropped > 0) {
      const notice: StreamNotice = {
        seq: this.lastDroppedSeq,
        topic: STREAM_NOTICE_TOPIC,
        type: "lagged",
        at: Date.now(),
        projectId: null,
        taskId: null,
        agentId: null,
        data: { dropped: this.dropped },
      };
      this.dropped = 0;
      this.write(notice);
    }
  }

  private stalled(): void {
    this.stallTimer = null;
    this.totals.disconnected += 1;
    const waiting = this.queue.length + this.dropped;
    this.end(
      new AppError(
        "resource_exhausted",
        `the subscriber read nothing for ${this.limits.stallTimeoutMs} ms while ${waiting} events waited; ` +
          "it was disconnected: reconnect, and read the current state over the API",
        { stall_timeout_ms: this.limits.stallTimeoutMs, waiting },
      ),
    );
  }

  private clearStallTimer(): void {
    if (this.stallTimer !== null) clearTimeout(this.stallTimer);
    this.stallTimer = null;
  }
}
