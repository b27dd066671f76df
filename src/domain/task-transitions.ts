import { AppError } from "./app-error.js";
import type { TaskStatus } from "./task-status.js";

/**
 * The legal task transitions, in one place. Everything else asks this table.
 *
 * - A new task starts `pending` (ready) or `blocked` (waiting for dependencies).
 * - `assigned` and `in_progress` hold a lease; losing it (expiry, hand-back) returns the task
 *   to `pending`.
 * - An agent may finish straight from `assigned` (it reports start and finish together).
 * - A task that finished its own work while it has unfinished subtasks waits `blocked` for
 *   them, then completes (or fails when one of them fails).
 * - `completed`, `failed` and `cancelled` are terminal: nothing leaves them.
 */
const TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  pending: ["assigned", "cancelled"],
  blocked: ["pending", "completed", "failed", "cancelled"],
  assigned: ["in_progress", "pending", "blocked", "completed", "failed", "cancelled"],
  in_progress: ["pending", "blocked", "completed", "failed", "cancelled"],
  completed: [],
  failed: [],
  cancelled: [],
};

/** Statuses a new task may start in. */
export const INITIAL_STATUSES: readonly TaskStatus[] = ["pending", "blocked"];

export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The statuses reachable from `from` in one step. */
export function nextStatuses(from: TaskStatus): readonly TaskStatus[] {
  return TRANSITIONS[from];
}

/** Throws `failed_precondition` naming both statuses when the transition is illegal. */
export function assertTransition(taskId: string, from: TaskStatus, to: TaskStatus): void {
  if (canTransition(from, to)) return;
  const allowed = TRANSITIONS[from];
  const hint =
    allowed.length === 0 ? `${from} is terminal` : `from ${from} only ${allowed.join(", ")}`;
  throw new AppError(
    "failed_precondition",
    `task ${taskId} cannot go from ${from} to ${to} (${hint})`,
    { task_id: taskId, from, to },
  );
}
