/**
 * An async iterable fed by `push()`: how a Connect client or handler streams messages that
 * are produced by events rather than by a loop.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T, undefined>) => void) | undefined;
  private closed = false;

  push(item: T): void {
    if (this.closed) throw new Error("push after close");
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting({ value: item, done: false });
    } else this.items.push(item);
  }

  /** Ends the iteration once the queued items have been taken. */
  close(): void {
    this.closed = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T, undefined> {
    const done = (): Promise<IteratorResult<T, undefined>> => {
      this.closed = true;
      this.items.length = 0;
      return Promise.resolve({ value: undefined, done: true });
    };
    return {
      next: () => {
        if (this.items.length > 0)
          return Promise.resolve({ value: this.items.shift() as T, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => {
          this.waiting = resolve;
        });
      },
      // The consumer stops early (a call ended or failed): drop what is queued.
      return: done,
      throw: done,
    };
  }
}
