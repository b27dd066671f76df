/**
 * A FIFO queue with O(1) push and shift and O(1) removal by key (lazy: removed keys are
 * skipped when they reach the head). Array-backed with a moving head, compacted as it drains.
 */
export class Fifo<T extends string> {
  private items: T[] = [];
  private head = 0;
  private readonly live = new Set<T>();

  get size(): number {
    return this.live.size;
  }

  push(item: T): void {
    if (this.live.has(item)) return;
    this.live.add(item);
    this.items.push(item);
  }

  has(item: T): boolean {
    return this.live.has(item);
  }

  /** The oldest live item, without removing it. */
  peek(): T | undefined {
    this.skipDead();
    return this.items[this.head];
  }

  shift(): T | undefined {
    this.skipDead();
    const item = this.items[this.head];
    if (item === undefined) return undefined;
    this.head += 1;
    this.live.delete(item);
    this.compact();
    return item;
  }

  remove(item: T): boolean {
    return this.live.delete(item);
  }

  private skipDead(): void {
    while (this.head < this.items.length && !this.live.has(this.items[this.head] as T))
      this.head += 1;
    this.compact();
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
