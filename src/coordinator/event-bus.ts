import { AppError, STREAM_NOTICE_TOPIC, type SystemEvent } from "../domain/index.js";
import {
  type DeliveryTotals,
  type EventFilter,
  type EventSink,
  EventSubscription,
  type SubscriptionLimits,
} from "./event-subscription.js";

export type { EventTopic, SystemEvent } from "../domain/index.js";
export type { EventFilter, EventSink } from "./event-subscription.js";

export interface EventBusOptions {
  /**
   * Events held for a subscriber whose sink is full; beyond this they are dropped and the
   * subscriber gets a "lagged" notice with the count once it catches up. Default 1,000.
   */
  queueLimit?: number;
  /**
   * How long a subscriber's sink may stay full before the subscriber is disconnected.
   * Default 30,000 ms.
   */
  stallTimeoutMs?: number;
}

export const DEFAULT_EVENT_QUEUE_LIMIT = 1_000;
export const DEFAULT_EVENT_STALL_TIMEOUT_MS = 30_000;

/** Fills the defaults of `options` and refuses bad values, naming the option. */
export function resolveEventBusOptions(options: EventBusOptions): SubscriptionLimits {
  const queueLimit = options.queueLimit ?? DEFAULT_EVENT_QUEUE_LIMIT;
  const stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_EVENT_STALL_TIMEOUT_MS;
  if (!Number.isInteger(queueLimit) || queueLimit < 1)
    throw AppError.invalidArgument("queueLimit", "queueLimit must be an integer of at least 1");
  if (!Number.isInteger(stallTimeoutMs) || stallTimeoutMs < 1)
    throw AppError.invalidArgument(
      "stallTimeoutMs",
      "stallTimeoutMs must be an integer of at least 1",
    );
  return { queueLimit, stallTimeoutMs };
}

export interface EventBusStats {
  subscribers: number;
  /** Events published since the bus was made. */
  published: number;
  /** Events not delivered to a subscriber that was too slow, summed over subscribers. */
  dropped: number;
  /** Subscribers disconnected for stalling. */
  disconnected: number;
}

/**
 * The coordinator's live event stream: publishers (task transitions, agents, later messages
 * and knowledge) publish; subscribers (EventService.Watch calls) receive what matches their
 * filter. Live only: nothing is stored or replayed.
 *
 * Publishing never blocks and costs O(subscribers): each subscriber has its own bounded
 * queue, so one that reads slowly loses events (and is told how many) or is disconnected,
 * and never slows the publisher or the other subscribers.
 */
export class EventBus {
  private seq = 0;
  private readonly subscriptions = new Set<EventSubscription>();
  private readonly limits: SubscriptionLimits;
  private readonly totals: DeliveryTotals = { dropped: 0, disconnected: 0 };
  private closedWith: AppError | null = null;

  constructor(options: EventBusOptions = {}) {
    this.limits = resolveEventBusOptions(options);
  }

  /** Whether anyone listens: publishers may skip building events when nobody does. */
  get hasSubscribers(): boolean {
    return this.subscriptions.size > 0;
  }

  /** Gives `event` the next seq and offers it to every subscriber whose filter matches. */
  publish(event: Omit<SystemEvent, "seq">): void {
    if (this.closedWith !== null) return;
    this.seq += 1;
    const published: SystemEvent = { ...event, seq: this.seq };
    for (const subscription of this.subscriptions) {
      if (!subscription.matches(published)) continue;
      try {
        subscription.offer(published);
      } catch (error) {
        // A broken sink ends its own subscription; the publisher (a commit) and the other
        // subscribers carry on.
        subscription.end(
          new AppError("internal", `the event stream failed: ${AppError.from(error).message}`),
        );
      }
    }
  }

  /**
   * Starts delivering to `sink`: first a "subscribed" notice carrying the last seq published,
   * then every later event that matches `filter`. Returns the function that unsubscribes.
   */
  subscribe(filter: EventFilter, sink: EventSink): () => void {
    if (this.closedWith !== null) {
      sink.close(this.closedWith);
      return () => {};
    }
    const subscription = new EventSubscription(filter, sink, this.limits, this.totals, (s) =>
      this.subscriptions.delete(s),
    );
    this.subscriptions.add(subscription);
    subscription.offer({
      seq: this.seq,
      topic: STREAM_NOTICE_TOPIC,
      type: "subscribed",
      at: Date.now(),
      projectId: null,
      taskId: null,
      agentId: null,
      data: {
        topics: [...filter.topics],
        project_id: filter.projectId,
        task_id: filter.taskId,
        agent_id: filter.agentId,
        queue_limit: this.limits.queueLimit,
      },
    });
    return () => subscription.cancel();
  }

  /** Ends every subscription with `reason` and refuses new ones (the coordinator stops). */
  close(reason: AppError): void {
    this.closedWith ??= reason;
    for (const subscription of [...this.subscriptions]) subscription.end(reason);
  }

  stats(): EventBusStats {
    return {
      subscribers: this.subscriptions.size,
      published: this.seq,
      dropped: this.totals.dropped,
      disconnected: this.totals.disconnected,
    };
  }
}
