import type { TaskFinished } from "../gen/mcp/v1/agent.js";

/**
 * Finishes the coordinator has not acknowledged yet. They are re-sent after every reconnect,
 * so a result survives a lost stream; the coordinator's attempt fencing makes a repeat harmless.
 */
export class UnackedFinishes {
  private readonly pending = new Map<string, TaskFinished>();
  private emptyWaiters: Array<() => void> = [];

  add(finished: TaskFinished): void {
    this.pending.set(key(finished.taskId, finished.attempt), finished);
  }

  /** Forgets a finish; false when it was not pending (a duplicate or unknown ack). */
  acknowledge(taskId: string, attempt: number): boolean {
    const removed = this.pending.delete(key(taskId, attempt));
    if (removed && this.pending.size === 0) {
      const waiters = this.emptyWaiters;
      this.emptyWaiters = [];
      for (const waiter of waiters) waiter();
    }
    return removed;
  }

  all(): TaskFinished[] {
    return [...this.pending.values()];
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves true once every finish is acknowledged, or false after `timeoutMs`. */
  whenEmpty(timeoutMs: number): Promise<boolean> {
    if (this.pending.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.emptyWaiters = this.emptyWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      this.emptyWaiters.push(done);
    });
  }
}

function key(taskId: string, attempt: number): string {
  return `${taskId}#${attempt}`;
}
