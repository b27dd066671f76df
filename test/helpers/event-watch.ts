import type { ClientReadableStream } from "@grpc/grpc-js";
import type { AppError } from "../../src/domain/index.js";
import {
  type Event,
  EventServiceClient,
  EventTopic,
  type WatchEventsRequest,
} from "../../src/gen/mcp/v1/events.js";
import { CLIENT_OPTIONS, fromGrpcError, insecure } from "../../src/rpc/index.js";

/**
 * A Watch call kept open by a test: everything it receives, in order, and how it ended.
 * `open` resolves once the subscription is live (the "subscribed" notice arrived).
 */
export class EventWatch {
  readonly received: Event[] = [];
  /** Set when the call ends: null for a clean end, else the error it ended with. */
  ended: AppError | null | undefined = undefined;
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly call: ClientReadableStream<Event>,
    /** Closed with the watch when it is the watch's own. */
    private readonly ownClient: EventServiceClient | null,
  ) {
    call.on("data", (event: Event) => {
      this.received.push(event);
      this.notify();
    });
    call.on("error", (error: unknown) => {
      this.ended = fromGrpcError(error);
      this.notify();
    });
    call.on("end", () => {
      this.ended ??= null;
      this.notify();
    });
  }

  static async open(
    address: string,
    request: Partial<WatchEventsRequest> = {},
    // A client of its own (its own connection) unless the test shares one on purpose.
    shared?: EventServiceClient,
  ): Promise<EventWatch> {
    const own = shared
      ? null
      : new EventServiceClient(address, insecure(), {
          ...CLIENT_OPTIONS,
          "grpc.use_local_subchannel_pool": 1,
        });
    const client = shared ?? (own as EventServiceClient);
    const watch = new EventWatch(
      client.watch({ topics: [], projectId: "", taskId: "", agentId: "", ...request }),
      own,
    );
    await watch.until((events) => events.length >= 1, "the subscribed notice");
    const first = watch.received[0];
    if (first?.topic !== EventTopic.EVENT_TOPIC_SYSTEM || first.type !== "subscribed")
      throw new Error(`the first event is not the subscribed notice: ${JSON.stringify(first)}`);
    return watch;
  }

  /** Events other than the stream's own notices. */
  get events(): Event[] {
    return this.received.filter((e) => e.topic !== EventTopic.EVENT_TOPIC_SYSTEM);
  }

  /** Waits until `done(received)` holds, or the call ends, or `timeoutMs` passes. */
  until(done: (received: Event[]) => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (done(this.received)) finish();
        else if (this.ended !== undefined)
          finish(new Error(`the watch ended (${this.ended?.message ?? "cleanly"}) before ${what}`));
      };
      const timer = setTimeout(
        () =>
          finish(new Error(`timed out waiting for ${what}; got ${this.received.length} events`)),
        timeoutMs,
      );
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (error) reject(error);
        else resolve();
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Waits for the call to end; resolves with its error (null for a clean end). */
  async end(timeoutMs = 20_000): Promise<AppError | null> {
    await this.until(() => this.ended !== undefined, "the end of the call", timeoutMs).catch(
      (error: unknown) => {
        if (this.ended === undefined) throw error;
      },
    );
    return this.ended ?? null;
  }

  close(): void {
    this.call.cancel();
    this.ownClient?.close();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** The event's data_json, parsed. */
export function dataOf(event: Event): Record<string, unknown> {
  return JSON.parse(event.dataJson) as Record<string, unknown>;
}
