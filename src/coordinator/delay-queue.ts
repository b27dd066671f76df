interface Entry {
  at: number;
  id: string;
}

/**
 * Items due at a time (retry backoff). A binary min-heap with lazy deletion and one timer
 * armed for the earliest item; `onDue` receives the ids that came due.
 */
export class DelayQueue {
  private heap: Entry[] = [];
  private readonly due = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private armedFor = Number.POSITIVE_INFINITY;

  constructor(private readonly onDue: (ids: string[]) => void) {}

  get size(): number {
    return this.due.size;
  }

  has(id: string): boolean {
    return this.due.has(id);
  }

  add(id: string, at: number): void {
    this.due.set(id, at);
    this.push({ at, id });
    this.arm();
  }

  remove(id: string): boolean {
    return this.due.delete(id);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private fire(): void {
    this.timer = null;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = Date.now();
    const ready: string[] = [];
    while (this.heap.length > 0 && (this.heap[0] as Entry).at <= now) {
      const entry = this.pop() as Entry;
      if (this.due.get(entry.id) === entry.at) {
        this.due.delete(entry.id);
        ready.push(entry.id);
      }
    }
    if (ready.length > 0) this.onDue(ready);
    this.arm();
  }

  private arm(): void {
    while (this.heap.length > 0) {
      const top = this.heap[0] as Entry;
      if (this.due.get(top.id) === top.at) break;
      this.pop();
    }
    const top = this.heap[0];
    if (!top || top.at >= this.armedFor) return;
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = top.at;
    this.timer = setTimeout(() => this.fire(), Math.max(0, top.at - Date.now()));
    this.timer.unref();
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as Entry).at <= entry.at) break;
      heap[i] = heap[parent] as Entry;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): Entry | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      let smallestAt = last.at;
      if (left < n && (heap[left] as Entry).at < smallestAt) {
        smallest = left;
        smallestAt = (heap[left] as Entry).at;
      }
      if (right < n && (heap[right] as Entry).at < smallestAt) smallest = right;
      if (smallest === i) break;
      heap[i] = heap[smallest] as Entry;
      i = smallest;
    }
    heap[i] = last;
    return top;
  }
}
