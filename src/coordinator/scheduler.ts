import { type JsonObject, newLeaseToken, type TaskRecord } from "../domain/index.js";
import { taskToWire } from "../contract/index.js";
import type { AgentEntry } from "./agent-entry.js";
import { type CoordinatorState, requirementsOf } from "./coordinator-state.js";
import { agentMeets } from "./routing-key.js";

const MAX_CANDIDATES_EXPLAINED = 5;

/**
 * Matches ready tasks to agents. Rule: an agent must meet the task's requirements (type,
 * executor, capabilities); among those with a free slot, the least loaded (by fraction of
 * capacity, then longest since its last assignment) gets the best task it can take
 * (highest priority, then oldest). Runs once per group commit, so one commit carries many
 * assignments.
 */
export class Scheduler {
  constructor(private readonly state: CoordinatorState) {}

  /** Assigns as much as possible now; returns how many tasks were assigned. */
  dispatch(): number {
    const state = this.state;
    if (state.ready.size === 0) return 0;
    const candidates: AgentEntry[] = [];
    for (const agent of state.agents.all()) if (agent.acceptsWork) candidates.push(agent);
    let assigned = 0;
    while (candidates.length > 0 && state.ready.size > 0) {
      const index = leastLoaded(candidates);
      const agent = candidates[index] as AgentEntry;
      const taskId = state.ready.peekBest(this.eligibleKeys(agent));
      const task = taskId === undefined ? undefined : state.tasks.get(taskId);
      if (task === undefined) {
        candidates.splice(index, 1);
        continue;
      }
      this.assign(task, agent);
      assigned += 1;
      if (!agent.acceptsWork) candidates.splice(index, 1);
    }
    return assigned;
  }

  /** Gives `task` to `agent`: a new attempt (fencing token), a lease, and the reason why. */
  assign(task: TaskRecord, agent: AgentEntry): void {
    const state = this.state;
    const now = Date.now();
    // Only the ready queue: the dispatch-latency observer still needs readySince.
    state.ready.remove(task.id);
    task.attempt += 1;
    task.agentId = agent.id;
    task.leaseToken = newLeaseToken();
    task.leaseExpiresAt = now + state.settings.leaseTtlMs;
    task.notBefore = null;
    task.progress = null;
    task.result = null;
    const { reason, details } = this.explain(task, agent);
    state.transition(task, "assigned", "coordinator", reason, details);
    agent.leases.set(task.id, task.attempt);
    agent.lastAssignedAt = now;
    if (agent.record.transport === "stream" && agent.session) {
      state.committer.send(agent.session, {
        kind: {
          $case: "assignment",
          value: {
            task: taskToWire(task),
            attempt: task.attempt,
            leaseExpiresAtMs: task.leaseExpiresAt,
          },
        },
      });
    } else {
      const claim = agent.claims.shift();
      if (claim) {
        clearTimeout(claim.timer);
        state.committer.afterCommit(() => claim.resolve(task.id));
      }
    }
  }

  /** The ready queues `agent` may take from (cached until the queues or the agent change). */
  private eligibleKeys(agent: AgentEntry): string[] {
    const generation = this.state.ready.generation;
    if (agent.eligibleGeneration !== generation) {
      agent.eligibleKeys = [];
      for (const entry of this.state.ready.entries()) {
        if (agentMeets(agent.record, entry.requirements)) agent.eligibleKeys.push(entry.key);
      }
      agent.eligibleGeneration = generation;
    }
    return agent.eligibleKeys;
  }

  /**
   * Why `chosen` got the task, kept in the assignment's history entry. Compact on purpose:
   * it is written for every assignment, and the requirements can be read from the task.
   */
  private explain(task: TaskRecord, chosen: AgentEntry): { reason: string; details: JsonObject } {
    const requirements = requirementsOf(task);
    const capable: AgentEntry[] = [];
    for (const agent of this.state.agents.all()) {
      if (agent.record.state === "online" && agentMeets(agent.record, requirements))
        capable.push(agent);
    }
    const withSlot = capable.filter((a) => a === chosen || a.freeSlots > 0).length;
    const load = `${chosen.load}/${chosen.record.maxConcurrency}`;
    const reason =
      `routed to ${chosen.id} (${chosen.record.type}, load ${load}): least loaded of ${withSlot} ` +
      `capable agent${withSlot === 1 ? "" : "s"} with a free slot`;
    const details: JsonObject = {
      agent_id: chosen.id,
      load,
      capable: capable.length,
      with_free_slot: withSlot,
      candidates: capable
        .slice(0, MAX_CANDIDATES_EXPLAINED)
        .map((a) => `${a.id} ${a.load}/${a.record.maxConcurrency}`),
    };
    return { reason, details };
  }
}

function leastLoaded(agents: readonly AgentEntry[]): number {
  let best = 0;
  for (let i = 1; i < agents.length; i += 1) {
    const a = agents[i] as AgentEntry;
    const b = agents[best] as AgentEntry;
    if (
      a.loadRatio < b.loadRatio ||
      (a.loadRatio === b.loadRatio && a.lastAssignedAt < b.lastAssignedAt)
    )
      best = i;
  }
  return best;
}
