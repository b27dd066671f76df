import type { AgentType } from "./agent-type.js";
import type { ExecutorKind } from "./task-action.js";

export const AGENT_STATES = ["online", "draining", "offline"] as const;

export type AgentState = (typeof AGENT_STATES)[number];

/** "stream": an agent process holding a Connect stream; "pull": an external worker that claims. */
export type AgentTransport = "stream" | "pull";

/** An agent as the coordinator registers it. */
export interface AgentRecord {
  id: string;
  name: string;
  type: AgentType;
  /** Normalised. */
  capabilities: string[];
  executors: ExecutorKind[];
  maxConcurrency: number;
  transport: AgentTransport;
  /** host:port of its AgentService, or "" when it serves none. */
  address: string;
  host: string;
  pid: number;
  registeredAt: number;
  lastSeenAt: number;
  state: AgentState;
  completedCount: number;
  failedCount: number;
}
