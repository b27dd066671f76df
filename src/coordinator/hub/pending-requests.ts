import type { MessageRecord } from "../../domain/index.js";

interface Waiter {
  resolve(response: MessageRecord | null): void;
  timer: NodeJS.Timeout;
}

/** What the hub remembers of a request until its deadline. */
export interface RequestInfo {
  id: string;
  sender: string;
  expiresAt: number;
}

/**
 * Requests whose deadline has not passed, and who waits for their responses. A waiter gets
 * the first response, or null at the deadline (or its own, earlier, timeout).
 */
export class PendingRequests {
  private readonly requests = new Map<string, RequestInfo>();
  private readonly waiters = new Map<string, Set<Waiter>>();

  remember(request: MessageRecord): void {
    this.requests.set(request.id, {
      id: request.id,
      sender: request.sender,
      expiresAt: request.expiresAt,
    });
  }

  get(id: string): RequestInfo | undefined {
    return this.requests.get(id);
  }

  /** Resolves with the first response to `requestId`, or null after `timeoutMs`. */
  wait(requestId: string, timeoutMs: number): Promise<MessageRecord | null> {
    return new Promise((resolve) => {
      let set = this.waiters.get(requestId);
      if (set === undefined) {
        set = new Set();
        this.waiters.set(requestId, set);
      }
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(
          () => {
            this.remove(requestId, waiter);
            resolve(null);
          },
          Math.max(0, timeoutMs),
        ),
      };
      set.add(waiter);
    });
  }

  /** Hands a (durable) response to everyone waiting for its request. */
  answer(response: MessageRecord): void {
    const id = response.correlationId;
    if (id === null) return;
    const set = this.waiters.get(id);
    if (set === undefined) return;
    this.waiters.delete(id);
    for (const waiter of set) {
      clearTimeout(waiter.timer);
      waiter.resolve(response);
    }
  }

  /** Forgets requests whose deadline has passed. */
  prune(now: number): void {
    for (const [id, info] of this.requests) {
      if (info.expiresAt <= now && !this.waiters.has(id)) this.requests.delete(id);
    }
  }

  /** Ends every wait with null (coordinator stopping). */
  close(): void {
    for (const set of this.waiters.values()) {
      for (const waiter of set) {
        clearTimeout(waiter.timer);
        waiter.resolve(null);
      }
    }
    this.waiters.clear();
  }

  private remove(requestId: string, waiter: Waiter): void {
    const set = this.waiters.get(requestId);
    if (set === undefined) return;
    set.delete(waiter);
    if (set.size === 0) this.waiters.delete(requestId);
  }
}
