import type { AgentRecord, AgentType } from "../domain/index.js";
import { AgentEntry } from "./agent-entry.js";

/** Every agent the coordinator knows, online or not. */
export class AgentRegistry {
  private readonly entries = new Map<string, AgentEntry>();

  get size(): number {
    return this.entries.size;
  }

  get(id: string): AgentEntry | undefined {
    return this.entries.get(id);
  }

  /** Adds the agent, or replaces the record of a known one (keeping its leases). */
  upsert(record: AgentRecord): AgentEntry {
    const existing = this.entries.get(record.id);
    if (existing) {
      existing.record = record;
      existing.eligibleKeys = [];
      existing.eligibleGeneration = -1;
      return existing;
    }
    const entry = new AgentEntry(record);
    this.entries.set(record.id, entry);
    return entry;
  }

  all(): IterableIterator<AgentEntry> {
    return this.entries.values();
  }

  /** Sorted by id, optionally of one type. */
  list(type?: AgentType): AgentEntry[] {
    return [...this.entries.values()]
      .filter((e) => type === undefined || e.record.type === type)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  online(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.record.state !== "offline") n += 1;
    return n;
  }
}
