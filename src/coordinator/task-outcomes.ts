import {
  AppError,
  LEASED_STATUSES,
  type JsonValue,
  type TaskError,
  type TaskRecord,
} from "../domain/index.js";
import { retryDelayMs } from "./backoff.js";
import type { CoordinatorState } from "./coordinator-state.js";

/** Why a report about a task was refused (stale attempt, not the holder, task finished...). */
export class LeaseRefusal {
  constructor(
    readonly reason: string,
    readonly task: TaskRecord | null,
  ) {}
}

/**
 * What happens to a task after it was assigned: start, progress, success, failure with retry
 * and backoff, hand-back, lease expiry, loss, cancellation, and what that does to the tasks
 * that depend on it. Callers check the lease first with {@link checkHolder}.
 */
export class TaskOutcomes {
  constructor(private readonly state: CoordinatorState) {}

  /**
   * The task if `agentId` holds its current lease at `attempt` (and, for pull workers,
   * `token`); otherwise a refusal saying why. A refusal means: record nothing.
   */
  checkHolder(
    taskId: string,
    attempt: number | null,
    agentId: string | null,
    token: string | null,
  ): TaskRecord | LeaseRefusal {
    const task = this.state.tasks.get(taskId);
    if (!task)
      return new LeaseRefusal(
        "the task is not running (it finished, was cancelled, or does not exist)",
        null,
      );
    if (!LEASED_STATUSES.has(task.status))
      return new LeaseRefusal(`the task is ${task.status}, not leased`, task);
    if (token !== null && token !== task.leaseToken) {
      return new LeaseRefusal(
        "the lease token does not match the task's current lease (stale or wrong)",
        task,
      );
    }
    if (agentId !== null && task.agentId !== agentId) {
      return new LeaseRefusal(
        `the task is leased to ${task.agentId ?? "nobody"}, not ${agentId}`,
        task,
      );
    }
    if (attempt !== null && attempt !== task.attempt) {
      return new LeaseRefusal(
        `stale attempt ${attempt}: the task is at attempt ${task.attempt}`,
        task,
      );
    }
    return task;
  }

  /** Extends the lease by a full TTL from now. */
  renew(task: TaskRecord): void {
    task.leaseExpiresAt = Date.now() + this.state.settings.leaseTtlMs;
  }

  started(task: TaskRecord, actor: string): void {
    if (task.status !== "assigned") return;
    task.startedAt = Date.now();
    this.state.transition(
      task,
      "in_progress",
      actor,
      `attempt ${task.attempt} started on ${actor}`,
    );
  }

  progress(task: TaskRecord, percent: number, message: string): void {
    task.progress = {
      percent: Math.max(0, Math.min(100, Math.round(percent))),
      message: message.slice(0, 2_000),
      updatedAt: Date.now(),
    };
    task.updatedAt = task.progress.updatedAt;
    this.renew(task);
    this.state.committer.stageTask(task);
  }

  succeed(task: TaskRecord, actor: string, output: JsonValue): void {
    const agent = this.releaseLease(task);
    if (agent) agent.record.completedCount += 1;
    const now = Date.now();
    if (task.startedAt === null) task.startedAt = now;
    task.result = { output, error: null };
    const done = `attempt ${task.attempt} completed by ${actor}`;
    const subtasks = this.state.subtasks;
    const failure = subtasks.failure(task.id);
    if (failure !== null) {
      this.failForSubtask(task, actor, `${done}, but ${failure}`);
      return;
    }
    const open = subtasks.unfinished(task.id);
    if (open.length > 0) {
      subtasks.await(task.id);
      this.state.transition(
        task,
        "blocked",
        actor,
        `${done}; waiting for ${open.length} subtask${open.length === 1 ? "" : "s"}: ${open.join(", ")}`,
      );
      return;
    }
    task.finishedAt = now;
    this.state.transition(task, "completed", actor, done);
    this.releaseDependents(task);
    this.settled(task);
  }

  /**
   * A task with a parent became terminal (or can never run): the parent learns of it, and a
   * parent that was only waiting for its subtasks completes or fails now.
   */
  private settled(task: TaskRecord, failure: string | null = subtaskFailure(task)): void {
    if (task.parentId === null) return;
    const subtasks = this.state.subtasks;
    subtasks.forget(task.id);
    subtasks.ended(task.parentId, task.id, failure);
    const parent = this.state.tasks.get(task.parentId);
    if (parent === undefined || !subtasks.isAwaiting(parent.id)) return;
    const parentFailure = subtasks.failure(parent.id);
    if (parentFailure !== null) {
      this.failForSubtask(parent, "coordinator", parentFailure);
    } else if (subtasks.unfinished(parent.id).length === 0) {
      parent.finishedAt = Date.now();
      this.state.transition(parent, "completed", "coordinator", "its subtasks completed");
      this.releaseDependents(parent);
      this.settled(parent);
    }
  }

  /** Fails a task because one of its subtasks did not complete (not retried: rerunning it would not help). */
  private failForSubtask(task: TaskRecord, actor: string, reason: string): void {
    task.finishedAt = Date.now();
    task.result = {
      output: task.result?.output ?? null,
      error: { code: "failed_precondition", message: reason, retryable: false },
    };
    this.state.transition(task, "failed", actor, reason);
    this.doomDependents(task, `dependency ${task.id} failed`);
    this.settled(task);
  }

  /** The attempt failed; retried with backoff when the error allows and attempts remain. */
  fail(task: TaskRecord, actor: string, error: TaskError, output: JsonValue = null): void {
    const agent = this.releaseLease(task);
    if (agent) agent.record.failedCount += 1;
    task.result = { output, error };
    this.retryOrFail(
      task,
      actor,
      `attempt ${task.attempt} failed on ${actor}: ${error.message}`,
      error.retryable,
    );
  }

  /** The holder gives the task back unfinished; it does not count as a failure. */
  handBack(task: TaskRecord, actor: string, reason: string): void {
    this.releaseLease(task);
    task.notBefore = null;
    this.state.transition(task, "pending", actor, `handed back by ${actor}: ${reason}`);
    this.state.enqueue(task);
  }

  /** The lease ran out: the holder died, hung or went silent. Counts as a failed attempt. */
  expire(task: TaskRecord): void {
    const holder = task.agentId ?? "nobody";
    this.releaseLease(task);
    this.retryOrFail(
      task,
      "coordinator",
      `attempt ${task.attempt} lost: lease expired (${holder} silent)`,
      true,
    );
  }

  /** The holder came back without the task (it restarted): counts as a failed attempt. */
  lose(task: TaskRecord, reason: string): void {
    this.releaseLease(task);
    this.retryOrFail(task, "coordinator", `attempt ${task.attempt} lost: ${reason}`, true);
  }

  /**
   * Cancels an unfinished task; a running attempt is told to stop. Throws failed_precondition
   * when the task is already terminal (the caller looked it up).
   */
  cancel(task: TaskRecord, actor: string, reason: string): void {
    const holder = task.agentId !== null ? this.state.agents.get(task.agentId) : undefined;
    if (LEASED_STATUSES.has(task.status)) {
      if (holder?.session) {
        this.state.committer.send(holder.session, {
          kind: { $case: "cancel", value: { taskId: task.id, attempt: task.attempt, reason } },
        });
      }
      this.releaseLease(task);
    }
    this.state.dequeue(task.id);
    const because = `cancelled by ${actor}${reason ? `: ${reason}` : ""}`;
    task.finishedAt = Date.now();
    this.state.transition(task, "cancelled", actor, because);
    this.doomDependents(task, `dependency ${task.id} was cancelled`);
    this.state.graph.remove(task.id);
    this.settled(task);
  }

  private retryOrFail(task: TaskRecord, actor: string, what: string, retryable: boolean): void {
    const state = this.state;
    task.failedAttempts += 1;
    task.leaseToken = null;
    task.leaseExpiresAt = null;
    if (retryable && task.failedAttempts < task.maxAttempts) {
      const delay = retryDelayMs(
        task.failedAttempts,
        state.settings.retryBaseDelayMs,
        state.settings.retryMaxDelayMs,
      );
      task.notBefore = delay > 0 ? Date.now() + delay : null;
      task.agentId = null;
      const next = task.failedAttempts + 1;
      state.transition(
        task,
        "pending",
        actor,
        `${what}; retrying (try ${next} of ${task.maxAttempts}) in ${delay} ms`,
      );
      state.enqueue(task);
      return;
    }
    task.finishedAt = Date.now();
    const verdict = retryable
      ? `; failed for good after ${task.failedAttempts} failed attempt${task.failedAttempts === 1 ? "" : "s"}`
      : "; not retryable";
    state.transition(task, "failed", actor, `${what}${verdict}`);
    this.doomDependents(task, `dependency ${task.id} failed`);
    this.settled(task);
  }

  /** Drops the lease from its holder; returns the holder. */
  private releaseLease(task: TaskRecord) {
    const agent = task.agentId !== null ? this.state.agents.get(task.agentId) : undefined;
    agent?.leases.delete(task.id);
    task.leaseExpiresAt = null;
    return agent;
  }

  private releaseDependents(task: TaskRecord): void {
    for (const id of this.state.graph.complete(task.id)) {
      const dependent = this.state.tasks.get(id);
      if (!dependent || dependent.status !== "blocked") continue;
      this.state.transition(dependent, "pending", "coordinator", "all dependencies completed");
      this.state.enqueue(dependent);
    }
  }

  private doomDependents(task: TaskRecord, reason: string): void {
    for (const { taskId, reason: why } of this.state.graph.fail(task.id, reason)) {
      const dependent = this.state.tasks.get(taskId);
      if (!dependent) continue;
      this.state.note(dependent, "coordinator", `blocked for good: ${why}`);
      // A subtask that can never run fails its parent as surely as one that failed.
      this.settled(dependent, `subtask ${dependent.id} can never run (${why})`);
    }
  }
}

/** Why a terminal subtask did not complete; null when it did. */
function subtaskFailure(task: TaskRecord): string | null {
  if (task.status === "completed") return null;
  if (task.status === "cancelled") return `subtask ${task.id} was cancelled`;
  return `subtask ${task.id} failed: ${task.result?.error?.message ?? task.statusReason}`;
}

/** Throws the right error for a refused lease report made over a request (pull workers). */
export function refusalError(taskId: string, refusal: LeaseRefusal): AppError {
  return new AppError("failed_precondition", `task ${taskId}: ${refusal.reason}`, {
    task_id: taskId,
  });
}
