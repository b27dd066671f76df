import {
  agentStateFromWire,
  agentTypeToWire,
  requiredAgentTypeFromWire,
} from "../../contract/index.js";
import type { AgentInfo } from "../../gen/mcp/v1/agent.js";
import type { Lease, RegisterWorkerRequest } from "../../gen/mcp/v1/coordinator.js";
import type { AgentJson } from "../schemas/agent-schemas.js";
import type { LeaseJson, RegisterWorkerBody } from "../schemas/worker-schemas.js";
import { isoTime } from "./time-json.js";

/** Agents, external workers and their leases between JSON and the coordinator's messages. */

export function agentToJson(agent: AgentInfo): AgentJson {
  return {
    id: agent.id,
    name: agent.name,
    type: requiredAgentTypeFromWire(agent.type, "type"),
    capabilities: agent.capabilities,
    executors: agent.executors,
    max_concurrency: agent.maxConcurrency,
    active_tasks: agent.activeTaskIds.length,
    active_task_ids: agent.activeTaskIds,
    state: agentStateFromWire(agent.state) ?? "offline",
    transport: agent.transport,
    address: agent.address,
    host: agent.host,
    pid: agent.pid,
    registered_at: isoTime(agent.registeredAtMs),
    last_seen_at: isoTime(agent.lastSeenAtMs),
    completed_count: agent.completedCount,
    failed_count: agent.failedCount,
  };
}

export function leaseToJson(lease: Lease): LeaseJson {
  return {
    task_id: lease.taskId,
    attempt: lease.attempt,
    token: lease.token,
    expires_at: isoTime(lease.expiresAtMs),
  };
}

/** The schema fills executors (["freeform"]) and max_concurrency (1) when absent. */
export function registerWorkerToWire(body: RegisterWorkerBody): RegisterWorkerRequest {
  return {
    name: body.name,
    type: agentTypeToWire(body.type),
    capabilities: body.capabilities ?? [],
    executors: body.executors ?? ["freeform"],
    maxConcurrency: body.max_concurrency ?? 1,
    agentId: body.agent_id ?? "",
  };
}
