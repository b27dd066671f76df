import type { TaskRecord } from "../domain/index.js";
import { type CoordinatorState, requirementsOf } from "./coordinator-state.js";
import { agentMeets, describeRequirements } from "./routing-key.js";

/**
 * What a pending or blocked task waits for, right now, in words a user can act on. Empty
 * for a task that is not waiting.
 */
export function explainWaiting(state: CoordinatorState, task: TaskRecord): string {
  if (task.status === "blocked") {
    const doomed = state.graph.doomedReason(task.id);
    if (doomed)
      return `cannot run: ${doomed}; cancel it, or resubmit the failed work and this task`;
    const waiting = state.graph.waitingFor(task.id);
    const shown = waiting.slice(0, 5).join(", ");
    const more = waiting.length > 5 ? ` and ${waiting.length - 5} more` : "";
    return `dependencies to complete: ${waiting.length} of ${task.dependencies.length} (${shown}${more})`;
  }
  if (task.status !== "pending") return "";
  if (task.notBefore !== null && task.notBefore > Date.now()) {
    return `retry backoff until ${new Date(task.notBefore).toISOString()}`;
  }
  const requirements = requirementsOf(task);
  let capable = 0;
  let offline = 0;
  let freeSlots = 0;
  const loads: string[] = [];
  for (const agent of state.agents.all()) {
    if (!agentMeets(agent.record, requirements)) continue;
    if (agent.record.state !== "online") {
      offline += 1;
      continue;
    }
    capable += 1;
    freeSlots += agent.freeSlots;
    if (loads.length < 5) loads.push(`${agent.id} ${agent.load}/${agent.record.maxConcurrency}`);
  }
  const needs = describeRequirements(requirements);
  if (capable === 0) {
    const hint =
      requirements.executor === "freeform"
        ? "; register an external worker of that kind (POST /api/v1/workers) to take it"
        : "";
    const off =
      offline > 0 ? ` (${offline} such agent${offline === 1 ? " is" : "s are"} offline)` : "";
    return `an agent that can take it: it needs ${needs}, and none is online${off}${hint}`;
  }
  const ahead = state.ready.aheadAtMost(task.id) ?? 0;
  if (freeSlots === 0 || ahead > 0) {
    return `a free slot on one of ${capable} capable agent${capable === 1 ? "" : "s"} (${loads.join(", ")}); up to ${ahead} task${ahead === 1 ? "" : "s"} of the same kind before it`;
  }
  return "its turn: a capable agent has a free slot";
}
