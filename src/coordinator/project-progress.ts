import { TASK_STATUSES, type TaskRecord, type TaskStatus } from "../domain/index.js";

export interface WaitingEntry {
  taskId: string;
  title: string;
  status: TaskStatus;
  waitingFor: string;
}

/** How far a project has come. */
export interface ProjectProgress {
  /** active, completed, failed or cancelled. */
  state: "active" | "completed" | "failed" | "cancelled";
  totalTasks: number;
  completionPercent: number;
  counts: Partial<Record<TaskStatus, number>>;
  waiting: WaitingEntry[];
}

/**
 * A project's progress from its tasks. It is finished when nothing can move any more:
 * completed when every task completed; otherwise failed (some failed) or cancelled.
 */
export function projectProgress(
  tasks: readonly TaskRecord[],
  explain: (task: TaskRecord) => string,
  isDoomed: (taskId: string) => boolean,
): ProjectProgress {
  const counts: Partial<Record<TaskStatus, number>> = {};
  for (const status of TASK_STATUSES) counts[status] = 0;
  const waiting: WaitingEntry[] = [];
  let movable = 0;
  for (const task of tasks) {
    counts[task.status] = (counts[task.status] ?? 0) + 1;
    if (task.status === "pending" || task.status === "blocked") {
      waiting.push({
        taskId: task.id,
        title: task.title,
        status: task.status,
        waitingFor: explain(task),
      });
    }
    const stuck = task.status === "blocked" && isDoomed(task.id);
    if (
      !stuck &&
      task.status !== "completed" &&
      task.status !== "failed" &&
      task.status !== "cancelled"
    )
      movable += 1;
  }
  const total = tasks.length;
  const completed = counts.completed ?? 0;
  let state: ProjectProgress["state"] = "active";
  if (total > 0 && completed === total) state = "completed";
  else if (total > 0 && movable === 0) state = (counts.failed ?? 0) > 0 ? "failed" : "cancelled";
  return {
    state,
    totalTasks: total,
    completionPercent: total === 0 ? 0 : Math.round((completed / total) * 1000) / 10,
    counts,
    waiting,
  };
}
