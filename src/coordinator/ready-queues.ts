import { PRIORITIES, type Priority, priorityRank } from "../domain/index.js";
import { Fifo } from "./fifo.js";
import { type Requirements, routingKey } from "./routing-key.js";

interface QueueEntry {
  key: string;
  requirements: Requirements;
  /** One FIFO per priority, index = priority rank. */
  byPriority: Fifo<string>[];
  size: number;
}

/** Where a ready task sits: its queue key and priority. */
interface Slot {
  key: string;
  rank: number;
  seq: number;
}

/**
 * In-memory ready queues: one per distinct requirements, each a FIFO per priority. Tasks
 * are ordered by priority first, then by creation (seq). Rebuilt from the store on start.
 */
export class ReadyQueues {
  private readonly queues = new Map<string, QueueEntry>();
  private readonly slots = new Map<string, Slot>();
  /** Bumped when a queue is created, so callers can invalidate eligibility caches. */
  generation = 0;

  get size(): number {
    return this.slots.size;
  }

  has(taskId: string): boolean {
    return this.slots.has(taskId);
  }

  add(taskId: string, requirements: Requirements, priority: Priority, seq: number): void {
    if (this.slots.has(taskId)) return;
    const key = routingKey(requirements);
    let entry = this.queues.get(key);
    if (!entry) {
      entry = { key, requirements, byPriority: PRIORITIES.map(() => new Fifo<string>()), size: 0 };
      this.queues.set(key, entry);
      this.generation += 1;
    }
    const rank = priorityRank(priority);
    (entry.byPriority[rank] as Fifo<string>).push(taskId);
    entry.size += 1;
    this.slots.set(taskId, { key, rank, seq });
  }

  remove(taskId: string): boolean {
    const slot = this.slots.get(taskId);
    if (!slot) return false;
    const entry = this.queues.get(slot.key) as QueueEntry;
    (entry.byPriority[slot.rank] as Fifo<string>).remove(taskId);
    entry.size -= 1;
    this.slots.delete(taskId);
    return true;
  }

  /** Every queue, for eligibility checks. */
  entries(): IterableIterator<QueueEntry> {
    return this.queues.values();
  }

  /** The best task (highest priority, then oldest) among the given queues, without removing it. */
  peekBest(keys: Iterable<string>): string | undefined {
    let bestId: string | undefined;
    let bestRank = -1;
    let bestSeq = Number.POSITIVE_INFINITY;
    for (const key of keys) {
      const entry = this.queues.get(key);
      if (!entry || entry.size === 0) continue;
      for (let rank = entry.byPriority.length - 1; rank >= 0 && rank >= bestRank; rank -= 1) {
        const head = (entry.byPriority[rank] as Fifo<string>).peek();
        if (head === undefined) continue;
        const seq = (this.slots.get(head) as Slot).seq;
        if (rank > bestRank || seq < bestSeq) {
          bestId = head;
          bestRank = rank;
          bestSeq = seq;
        }
        break;
      }
    }
    return bestId;
  }

  /** Number of ready tasks in a queue. */
  depth(key: string): number {
    return this.queues.get(key)?.size ?? 0;
  }

  /**
   * How many ready tasks sharing `taskId`'s requirements are of higher or equal priority
   * (an upper bound of how many go before it); null when it is not ready. O(priorities).
   */
  aheadAtMost(taskId: string): number | null {
    const slot = this.slots.get(taskId);
    if (!slot) return null;
    const entry = this.queues.get(slot.key) as QueueEntry;
    let ahead = -1;
    for (let rank = slot.rank; rank < entry.byPriority.length; rank += 1)
      ahead += (entry.byPriority[rank] as Fifo<string>).size;
    return Math.max(0, ahead);
  }
}
