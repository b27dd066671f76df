import {
  AGENT_STATES,
  AGENT_TYPES,
  type AgentState,
  type AgentType,
  AppError,
  KNOWLEDGE_SCOPES,
  type KnowledgeScope,
  PRIORITIES,
  type Priority,
  STREAM_TOPICS,
  type StreamTopic,
  TASK_STATUSES,
  type TaskStatus,
} from "../domain/index.js";
import { AgentState as WireAgentState } from "../gen/mcp/v1/agent.js";
import { KnowledgeScope as WireKnowledgeScope } from "../gen/mcp/v1/knowledge.js";
import { EventTopic as WireEventTopic } from "../gen/mcp/v1/events.js";
import {
  Priority as WirePriority,
  AgentType as WireAgentType,
  TaskStatus as WireTaskStatus,
} from "../gen/mcp/v1/task.js";

/**
 * Proto enums follow the convention PREFIX_NAME with 0 = unspecified; domain values are
 * lower-case names. One generic pair of maps per enum, built from the domain's list.
 */
function enumMaps<D extends string, W extends number>(
  values: readonly D[],
  wireEnum: Record<string, string | number>,
  prefix: string,
): { toWire: (value: D) => W; fromWire: (value: W) => D | null } {
  const toWire = new Map<D, W>();
  const fromWire = new Map<W, D>();
  for (const value of values) {
    const wire = wireEnum[`${prefix}${value.toUpperCase()}`];
    if (typeof wire !== "number")
      throw new Error(`proto enum lacks ${prefix}${value.toUpperCase()}`);
    toWire.set(value, wire as W);
    fromWire.set(wire as W, value);
  }
  return {
    toWire: (value) => toWire.get(value) as W,
    fromWire: (value) => fromWire.get(value) ?? null,
  };
}

const status = enumMaps<TaskStatus, WireTaskStatus>(TASK_STATUSES, WireTaskStatus, "TASK_STATUS_");
const priority = enumMaps<Priority, WirePriority>(PRIORITIES, WirePriority, "PRIORITY_");
const agentType = enumMaps<AgentType, WireAgentType>(AGENT_TYPES, WireAgentType, "AGENT_TYPE_");
const agentState = enumMaps<AgentState, WireAgentState>(
  AGENT_STATES,
  WireAgentState,
  "AGENT_STATE_",
);
const knowledgeScope = enumMaps<KnowledgeScope, WireKnowledgeScope>(
  KNOWLEDGE_SCOPES,
  WireKnowledgeScope,
  "KNOWLEDGE_SCOPE_",
);
const streamTopic = enumMaps<StreamTopic, WireEventTopic>(
  STREAM_TOPICS,
  WireEventTopic,
  "EVENT_TOPIC_",
);

export const statusToWire = status.toWire;
export const priorityToWire = priority.toWire;
export const agentStateToWire = agentState.toWire;
export const agentStateFromWire = agentState.fromWire;
export const streamTopicToWire = streamTopic.toWire;
/** Null for UNSPECIFIED or a number this build does not know. */
export const streamTopicFromWire = streamTopic.fromWire;

/** Null (any type) travels as AGENT_TYPE_UNSPECIFIED. */
export function agentTypeToWire(type: AgentType | null): WireAgentType {
  return type === null ? WireAgentType.AGENT_TYPE_UNSPECIFIED : agentType.toWire(type);
}

/** UNSPECIFIED means "any" (null); an unknown number is refused naming `field`. */
export function agentTypeFromWire(value: WireAgentType, field: string): AgentType | null {
  if (value === WireAgentType.AGENT_TYPE_UNSPECIFIED) return null;
  const type = agentType.fromWire(value);
  if (type === null)
    throw AppError.invalidArgument(field, `${field} is not a known agent type (${value})`);
  return type;
}

/** Where an agent type is required (an agent's own type). */
export function requiredAgentTypeFromWire(value: WireAgentType, field: string): AgentType {
  const type = agentTypeFromWire(value, field);
  if (type === null)
    throw AppError.invalidArgument(field, `${field} is required: one of ${AGENT_TYPES.join(", ")}`);
  return type;
}

/** UNSPECIFIED means `fallback`. */
export function priorityFromWire(value: WirePriority, field: string, fallback: Priority): Priority {
  if (value === WirePriority.PRIORITY_UNSPECIFIED) return fallback;
  const p = priority.fromWire(value);
  if (p === null)
    throw AppError.invalidArgument(field, `${field} is not a known priority (${value})`);
  return p;
}

export function statusFromWire(value: WireTaskStatus, field: string): TaskStatus {
  const s = status.fromWire(value);
  if (s === null)
    throw AppError.invalidArgument(field, `${field} is not a known task status (${value})`);
  return s;
}

/** Null (no scope given: any, or the caller's default) travels as KNOWLEDGE_SCOPE_UNSPECIFIED. */
export function knowledgeScopeToWire(scope: KnowledgeScope | null): WireKnowledgeScope {
  return scope === null
    ? WireKnowledgeScope.KNOWLEDGE_SCOPE_UNSPECIFIED
    : knowledgeScope.toWire(scope);
}

/** UNSPECIFIED means null; an unknown number is refused naming `field`. */
export function knowledgeScopeFromWire(
  value: WireKnowledgeScope,
  field: string,
): KnowledgeScope | null {
  if (value === WireKnowledgeScope.KNOWLEDGE_SCOPE_UNSPECIFIED) return null;
  const scope = knowledgeScope.fromWire(value);
  if (scope === null)
    throw AppError.invalidArgument(field, `${field} is not a known knowledge scope (${value})`);
  return scope;
}
