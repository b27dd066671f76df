import type { AgentRecord } from "../domain/index.js";
import type { AgentInfo } from "../gen/mcp/v1/agent.js";
import { agentStateToWire, agentTypeToWire } from "./enum-maps.js";

export function agentToWire(agent: AgentRecord, activeTaskIds: readonly string[]): AgentInfo {
  return {
    id: agent.id,
    name: agent.name,
    type: agentTypeToWire(agent.type),
    capabilities: agent.capabilities,
    executors: agent.executors,
    maxConcurrency: agent.maxConcurrency,
    state: agentStateToWire(agent.state),
    transport: agent.transport,
    address: agent.address,
    host: agent.host,
    pid: agent.pid,
    registeredAtMs: agent.registeredAt,
    lastSeenAtMs: agent.lastSeenAt,
    activeTaskIds: [...activeTaskIds],
    completedCount: agent.completedCount,
    failedCount: agent.failedCount,
  };
}
