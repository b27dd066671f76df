/** Every status a task can be in. */
export const TASK_STATUSES = [
  "pending",
  "assigned",
  "in_progress",
  "completed",
  "failed",
  "blocked",
  "cancelled",
] as const;

export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Statuses a task never leaves. */
export const TERMINAL_STATUSES: ReadonlySet<TaskStatus> = new Set([
  "completed",
  "failed",
  "cancelled",
]);

/** Statuses in which an agent holds a lease on the task. */
export const LEASED_STATUSES: ReadonlySet<TaskStatus> = new Set(["assigned", "in_progress"]);

export function isTerminal(status: TaskStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

export function isTaskStatus(value: unknown): value is TaskStatus {
  return typeof value === "string" && (TASK_STATUSES as readonly string[]).includes(value);
}
