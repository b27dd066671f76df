import { AppError, type RecipientSpec } from "../../domain/index.js";
import type { AgentEntry } from "../agent-entry.js";
import type { CoordinatorState } from "../coordinator-state.js";

/** How many messages wait for an agent: the tie-breaker between equally loaded agents. */
export type MailLoad = (agentId: string) => number;

/**
 * The agents a message goes to, resolved when it is sent (sorted by id, except "any of
 * type", which is the one chosen). Unknown agents and empty groups are refused: a message
 * nobody can ever receive is an error, not a silent success.
 */
export async function resolveRecipients(
  state: CoordinatorState,
  to: RecipientSpec,
  mailLoad: MailLoad,
  field: string,
): Promise<string[]> {
  if (to.kind === "project") return projectRecipients(state, to.projectId, field);
  return resolveRecipientsNow(state, to, mailLoad, field);
}

/** The same, for every kind of recipient but a project's agents (which needs the store). */
export function resolveRecipientsNow(
  state: CoordinatorState,
  to: Exclude<RecipientSpec, { kind: "project" }>,
  mailLoad: MailLoad,
  field: string,
): string[] {
  switch (to.kind) {
    case "agent": {
      if (state.agents.get(to.agentId) === undefined) {
        throw new AppError("not_found", `agent ${JSON.stringify(to.agentId)} does not exist`, {
          field: `${field}.agent_id`,
          agent_id: to.agentId,
        });
      }
      return [to.agentId];
    }
    case "any_of_type": {
      const chosen = leastLoaded(state.agents.list(to.type), mailLoad);
      if (chosen === null) throw noAgentOfType(to.type, `${field}.any_of_type`);
      return [chosen.id];
    }
    case "all_of_type": {
      const agents = state.agents.list(to.type);
      if (agents.length === 0) throw noAgentOfType(to.type, `${field}.all_of_type`);
      return agents.map((a) => a.id);
    }
    case "everyone": {
      const all = state.agents.list().map((a) => a.id);
      if (all.length === 0) {
        throw new AppError(
          "failed_precondition",
          "no agent is registered: nobody would receive a broadcast",
          {
            field,
          },
        );
      }
      return all;
    }
  }
}

/** The agents that hold or held a task of the project. */
async function projectRecipients(
  state: CoordinatorState,
  projectId: string,
  field: string,
): Promise<string[]> {
  const project = await state.store.getProject(projectId);
  if (project === null) {
    throw new AppError("not_found", `project ${JSON.stringify(projectId)} does not exist`, {
      field: `${field}.project_id`,
      project_id: projectId,
    });
  }
  const ids = new Set(await state.store.projectAgentIds(projectId));
  for (const task of state.tasks.values()) {
    if (task.projectId === projectId && task.agentId !== null) ids.add(task.agentId);
  }
  const known = [...ids].filter((id) => state.agents.get(id) !== undefined).sort();
  if (known.length === 0) {
    throw new AppError(
      "failed_precondition",
      `no agent works on project ${projectId} yet: nobody would receive the message`,
      { field: `${field}.project_id`, project_id: projectId },
    );
  }
  return known;
}

/** Online agents first, then the lowest task load, then the fewest waiting messages. */
function leastLoaded(agents: AgentEntry[], mailLoad: MailLoad): AgentEntry | null {
  let best: AgentEntry | null = null;
  let bestKey: [number, number, number] = [0, 0, 0];
  for (const agent of agents) {
    const key: [number, number, number] = [
      agent.record.state === "online" ? 0 : agent.record.state === "draining" ? 1 : 2,
      agent.loadRatio,
      mailLoad(agent.id),
    ];
    if (best === null || compare(key, bestKey) < 0) {
      best = agent;
      bestKey = key;
    }
  }
  return best;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

function noAgentOfType(type: string, field: string): AppError {
  return new AppError("not_found", `no agent of type ${type} is registered`, {
    field,
    type,
  });
}
