import {
  AGENT_STATES,
  type AgentRecord,
  type AgentState,
  type AgentTransport,
  type ExecutorKind,
  isAgentType,
} from "../../domain/index.js";
import { decodeEnumColumn, parseJsonColumn } from "./row-decoding.js";

/** A row of `agents`; keys are the column names. */
export interface AgentRow {
  id: string;
  name: string;
  type: string;
  capabilities: string;
  executors: string;
  max_concurrency: number;
  transport: string;
  address: string;
  host: string;
  pid: number;
  registered_at: number;
  last_seen_at: number;
  state: string;
  completed_count: number;
  failed_count: number;
}

export function agentToRow(agent: AgentRecord): AgentRow {
  return {
    id: agent.id,
    name: agent.name,
    type: agent.type,
    capabilities: JSON.stringify(agent.capabilities),
    executors: JSON.stringify(agent.executors),
    max_concurrency: agent.maxConcurrency,
    transport: agent.transport,
    address: agent.address,
    host: agent.host,
    pid: agent.pid,
    registered_at: agent.registeredAt,
    last_seen_at: agent.lastSeenAt,
    state: agent.state,
    completed_count: agent.completedCount,
    failed_count: agent.failedCount,
  };
}

export function agentFromRow(row: AgentRow): AgentRecord {
  const id = row.id;
  return {
    id,
    name: row.name,
    type: decodeEnumColumn(row.type, isAgentType, "agents", "type", id),
    capabilities: parseJsonColumn<string[]>(row.capabilities, "agents", "capabilities", id),
    executors: parseJsonColumn<ExecutorKind[]>(row.executors, "agents", "executors", id),
    maxConcurrency: row.max_concurrency,
    transport: decodeEnumColumn(row.transport, isAgentTransport, "agents", "transport", id),
    address: row.address,
    host: row.host,
    pid: row.pid,
    registeredAt: row.registered_at,
    lastSeenAt: row.last_seen_at,
    state: decodeEnumColumn(row.state, isAgentState, "agents", "state", id),
    completedCount: row.completed_count,
    failedCount: row.failed_count,
  };
}

function isAgentTransport(value: unknown): value is AgentTransport {
  return value === "stream" || value === "pull";
}

function isAgentState(value: unknown): value is AgentState {
  return typeof value === "string" && (AGENT_STATES as readonly string[]).includes(value);
}
