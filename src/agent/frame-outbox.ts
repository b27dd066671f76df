import type { AgentFrame, AgentMessage } from "../gen/mcp/v1/agent.js";

/** The part of a client stream the outbox writes to. */
export interface FrameWriter {
  /** False when the stream's buffer is full: wait for "drain" before writing more. */
  write(frame: AgentFrame): boolean;
  once(event: "drain", listener: () => void): unknown;
}

/** Most messages put in one frame; keeps any single frame well under the message size limit. */
const DEFAULT_MAX_MESSAGES_PER_FRAME = 2_000;

/**
 * Batches outgoing messages: everything queued during one event-loop turn leaves as one
 * AgentFrame (setImmediate), progress reports are coalesced to the latest per task attempt,
 * and when the stream pushes back the queue simply grows until "drain".
 *
 * The outbox serves one stream at a time. Messages queued for a stream that is lost are
 * dropped with it: what must survive a reconnect (finishes) is kept elsewhere and re-sent.
 */
export class FrameOutbox {
  private writer: FrameWriter | null = null;
  private queue: AgentMessage[] = [];
  /** Where the pending progress report of each task attempt sits in `queue`. */
  private progressAt = new Map<string, number>();
  private scheduled = false;
  private blocked = false;
  private emptyWaiters: Array<() => void> = [];

  constructor(private readonly maxMessagesPerFrame = DEFAULT_MAX_MESSAGES_PER_FRAME) {}

  /** Starts serving `writer`, dropping anything left from a previous stream. */
  attach(writer: FrameWriter): void {
    this.writer = writer;
    this.reset();
  }

  /** Stops writing; queued messages are dropped. */
  detach(): void {
    this.writer = null;
    this.reset();
  }

  get attached(): boolean {
    return this.writer !== null;
  }

  /** Messages waiting to be written. */
  get pending(): number {
    return this.queue.length;
  }

  /** Queues a message for the next frame; false (and dropped) when no stream is attached. */
  push(message: AgentMessage): boolean {
    if (this.writer === null) return false;
    const kind = message.kind;
    if (kind?.$case === "progress") {
      const key = `${kind.value.taskId}#${kind.value.attempt}`;
      const at = this.progressAt.get(key);
      if (at !== undefined) {
        this.queue[at] = message;
        return true;
      }
      this.progressAt.set(key, this.queue.length);
    }
    this.queue.push(message);
    this.schedule();
    return true;
  }

  /** Resolves once everything queued has been handed to the stream, or after `timeoutMs`. */
  whenEmpty(timeoutMs: number): Promise<boolean> {
    if (this.queue.length === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.emptyWaiters = this.emptyWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.emptyWaiters.push(done);
    });
  }

  private reset(): void {
    this.queue = [];
    this.progressAt.clear();
    this.blocked = false;
    this.notifyEmpty();
  }

  private schedule(): void {
    if (this.scheduled || this.blocked) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    const writer = this.writer;
    if (writer === null || this.blocked || this.queue.length === 0) return;
    const messages = this.queue;
    this.queue = [];
    this.progressAt.clear();
    for (let start = 0; start < messages.length; start += this.maxMessagesPerFrame) {
      const frame: AgentFrame = {
        messages: messages.slice(start, start + this.maxMessagesPerFrame),
      };
      let accepted: boolean;
      try {
        accepted = writer.write(frame);
      } catch {
        // The stream is already failing; its owner sees the error and detaches us.
        return;
      }
      if (accepted) continue;
      // The frame was taken but the buffer is full: keep the rest queued until "drain".
      this.blocked = true;
      this.requeue(messages.slice(start + this.maxMessagesPerFrame));
      writer.once("drain", () => {
        if (this.writer !== writer) return;
        this.blocked = false;
        this.schedule();
      });
      return;
    }
    this.notifyEmpty();
  }

  /** Puts unsent messages back in front of anything queued since, keeping their order. */
  private requeue(unsent: AgentMessage[]): void {
    if (unsent.length === 0) return;
    const later = this.queue;
    this.queue = [];
    this.progressAt.clear();
    for (const message of [...unsent, ...later]) this.push(message);
  }

  private notifyEmpty(): void {
    if (this.queue.length > 0) return;
    const waiters = this.emptyWaiters;
    this.emptyWaiters = [];
    for (const waiter of waiters) waiter();
  }
}
