import type { AgentRecord, AgentType, ExecutorKind } from "../domain/index.js";

/** What a task needs from an agent: a type (or any), an executor, capabilities. */
export interface Requirements {
  type: AgentType | null;
  executor: ExecutorKind;
  /** Normalised and sorted. */
  capabilities: readonly string[];
}

/** Tasks with equal requirements share a ready queue; the key names them. */
export function routingKey(req: Requirements): string {
  return `${req.type ?? "*"}|${req.executor}|${req.capabilities.join(",")}`;
}

/** Whether `agent` can take work with these requirements. */
export function agentMeets(agent: AgentRecord, req: Requirements): boolean {
  if (req.type !== null && req.type !== agent.type) return false;
  if (!agent.executors.includes(req.executor)) return false;
  for (const cap of req.capabilities) if (!agent.capabilities.includes(cap)) return false;
  return true;
}

/** A short human description, e.g. "a backend agent with the command executor and python". */
export function describeRequirements(req: Requirements): string {
  const who = req.type === null ? "an agent of any type" : `a ${req.type} agent`;
  const how =
    req.executor === "freeform" ? "that does free-form work" : `with the ${req.executor} executor`;
  const caps =
    req.capabilities.length > 0 ? `, with capabilities ${req.capabilities.join(", ")}` : "";
  return `${who} ${how}${caps}`;
}
