import type { TaskRecord, TaskStatus } from "../domain/index.js";
import type { CoordinatorState } from "./coordinator-state.js";

export interface RecoveryReport {
  tasks: number;
  ready: number;
  delayed: number;
  blocked: number;
  leased: number;
  agents: number;
}

/**
 * Rebuilds memory from the store after a start or a crash: unfinished tasks back into the
 * ready and delayed queues and the dependency graph; leases restored with a fresh TTL so
 * that agents still running them can reconnect and report (or let them expire).
 */
export async function recover(state: CoordinatorState): Promise<RecoveryReport> {
  const active = await state.store.loadActive();
  const counts = await state.store.countTasksByStatus();
  for (const [status, count] of Object.entries(counts))
    state.statusCounts.set(status as TaskStatus, count);
  state.taskSeq = active.maxTaskSeq;
  state.projectSeq = active.maxProjectSeq;
  const report: RecoveryReport = {
    tasks: active.tasks.length,
    ready: 0,
    delayed: 0,
    blocked: 0,
    leased: 0,
    agents: active.agents.length,
  };
  for (const record of active.agents) {
    state.agents.upsert({ ...record, state: "offline" });
  }
  const blocked: TaskRecord[] = [];
  const now = Date.now();
  for (const task of active.tasks) state.tasks.set(task.id, task);
  for (const task of active.tasks) {
    switch (task.status) {
      case "pending":
        state.enqueue(task);
        if (task.notBefore !== null && task.notBefore > now) report.delayed += 1;
        else report.ready += 1;
        break;
      case "blocked":
        // Finished its own work and waits for its subtasks; not waiting on dependencies.
        if (task.result !== null && task.result.error === null) state.subtasks.await(task.id);
        else blocked.push(task);
        break;
      case "assigned":
      case "in_progress": {
        task.leaseExpiresAt = now + state.settings.leaseTtlMs;
        const agent = task.agentId !== null ? state.agents.get(task.agentId) : undefined;
        if (agent) agent.leases.set(task.id, task.attempt);
        report.leased += 1;
        break;
      }
      default:
        break;
    }
  }
  await restoreGraph(state, blocked);
  await restoreSubtasks(state, active.tasks);
  report.blocked = blocked.length;
  return report;
}

/**
 * Which unfinished tasks have unfinished subtasks, and which of their subtasks already failed.
 * (A subtask's end and its waiting parent's end are committed together, so no parent is found
 * waiting for subtasks that have all finished.)
 */
async function restoreSubtasks(
  state: CoordinatorState,
  active: readonly TaskRecord[],
): Promise<void> {
  for (const task of active) {
    if (task.parentId !== null && state.tasks.has(task.parentId))
      state.subtasks.add(task.parentId, task.id);
  }
  for (const failed of await state.store.failedSubtasksOfActiveParents()) {
    state.subtasks.recordFailure(failed.parentId, failed.reason);
  }
}

async function restoreGraph(
  state: CoordinatorState,
  blocked: readonly TaskRecord[],
): Promise<void> {
  const outside = new Set<string>();
  for (const task of blocked)
    for (const dep of task.dependencies) if (!state.tasks.has(dep)) outside.add(dep);
  const finished = new Map<string, string>();
  for (const dep of await state.store.getTasks([...outside])) finished.set(dep.id, dep.status);
  const doomedReasons = new Map<string, string>();
  for (const task of blocked) {
    const unmet = task.dependencies.filter(
      (dep) => state.tasks.has(dep) || finished.get(dep) !== "completed",
    );
    state.graph.add(task.id, unmet);
    for (const dep of task.dependencies) {
      if (state.tasks.has(dep)) continue;
      const status = finished.get(dep);
      if (status === "completed") continue;
      const why =
        status === undefined
          ? `dependency ${dep} does not exist`
          : `dependency ${dep} ${status === "failed" ? "failed" : "was cancelled"}`;
      doomedReasons.set(task.id, why);
      break;
    }
  }
  for (const [taskId, why] of doomedReasons) {
    state.graph.doom(taskId, why);
    state.graph.fail(taskId, `upstream ${why}`);
  }
  // A blocked task whose dependencies all completed (the crash fell between the two).
  for (const task of blocked) {
    if (
      state.graph.waitingFor(task.id).length === 0 &&
      state.graph.doomedReason(task.id) === null
    ) {
      state.graph.remove(task.id);
      state.transition(
        task,
        "pending",
        "coordinator",
        "all dependencies completed (found on recovery)",
      );
      state.enqueue(task);
    }
  }
}
