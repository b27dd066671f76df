import type { AgentRecord } from "../domain/index.js";
import type { CoordinatorMessage } from "../gen/mcp/v1/agent.js";

/** The live stream of a connected agent process. */
export interface AgentSession {
  /** Distinguishes a reconnect from the session it replaces. */
  readonly id: number;
  /** Writes one frame carrying `messages`. */
  send(messages: CoordinatorMessage[]): void;
  /** Ends the stream (replaced, silent, or coordinator stopping). */
  end(reason: string): void;
}

/** A pull worker's pending claim (long poll). */
export interface ClaimWaiter {
  /** Resolves with the task id assigned, or null on timeout. */
  resolve(taskId: string | null): void;
  timer: NodeJS.Timeout;
}

/** An agent as the coordinator tracks it at run time: its record plus leases and session. */
export class AgentEntry {
  /** taskId -> attempt of every lease it holds. */
  readonly leases = new Map<string, number>();
  session: AgentSession | null = null;
  readonly claims: ClaimWaiter[] = [];
  /** The ready queues it may take from; recomputed when queues or its record change. */
  eligibleKeys: string[] = [];
  eligibleGeneration = -1;
  /** Last time it was given a task; the tie-breaker between equally loaded agents. */
  lastAssignedAt = 0;

  constructor(public record: AgentRecord) {}

  get id(): string {
    return this.record.id;
  }

  get load(): number {
    return this.leases.size;
  }

  get freeSlots(): number {
    return Math.max(0, this.record.maxConcurrency - this.leases.size);
  }

  /** Whether the scheduler may push or hand work to it now. */
  get acceptsWork(): boolean {
    if (this.record.state !== "online") return false;
    if (this.record.transport === "stream") return this.session !== null && this.freeSlots > 0;
    return this.claims.length > 0 && this.freeSlots > 0;
  }

  /** The load as a fraction of its capacity. */
  get loadRatio(): number {
    return this.leases.size / this.record.maxConcurrency;
  }
}
