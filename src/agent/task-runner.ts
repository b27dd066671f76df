import {
  AppError,
  type ExecutorKind,
  executorKindOf,
  type KnowledgeEntryRecord,
  type MessageRecord,
  type TaskResult,
} from "../domain/index.js";
import type { Assignment, HeldTask } from "../gen/mcp/v1/agent.js";
import type { Logger } from "../observability/index.js";
import { executionTaskFromWire } from "./execution-task-from-wire.js";
import {
  type ExecutionTask,
  type Executor,
  type ExecutorRegistry,
  taskFailure,
} from "./executors/index.js";

/** Where the runner's news goes (the agent turns these into stream messages). */
export interface RunReporter {
  started(taskId: string, attempt: number): void;
  progress(taskId: string, attempt: number, percent: number, message: string): void;
  finished(taskId: string, attempt: number, result: TaskResult): void;
  handBack(taskId: string, attempt: number, reason: string): void;
}

/** A run as the agent's status reports it. */
export interface RunView {
  taskId: string;
  attempt: number;
  title: string;
  executor: ExecutorKind;
  startedAt: number;
  percent: number;
  message: string;
}

interface Run extends RunView {
  /** Made when an executor first asks for the signal, or on abort: most runs never need one. */
  controller: AbortController | null;
  /** Set when the outcome must not be reported: cancelled, abandoned, or handed back. */
  silenced: boolean;
  done: Promise<void>;
}

export interface TaskRunnerOptions {
  registry: ExecutorRegistry;
  maxConcurrency: number;
  reporter: RunReporter;
  logger: Logger;
  /** Messages the agent received about a task (its runs' context). */
  messagesFor?: (taskId: string) => readonly MessageRecord[];
  /** Knowledge about a task and its project (its runs' context). */
  knowledgeFor?: (taskId: string) => Promise<readonly KnowledgeEntryRecord[]>;
}

/**
 * Runs assigned tasks with their executors, never more than `maxConcurrency` at once (a run
 * being killed still counts: its process exists until it is gone), and reports what the
 * coordinator must know. Runs are keyed by task and attempt: the attempt is the fencing token.
 */
export class TaskRunner {
  private readonly runs = new Map<string, Run>();
  /** The reportable run of each task, for finding one by task id alone. */
  private readonly byTask = new Map<string, Run>();
  private idleWaiters: Array<() => void> = [];
  completedCount = 0;
  failedCount = 0;

  constructor(private readonly options: TaskRunnerOptions) {}

  /** Starts an assignment, or hands it back at once when draining or full. */
  assign(assignment: Assignment, draining: boolean): void {
    const { task, attempt } = assignment;
    const { reporter, logger } = this.options;
    if (task === undefined) {
      logger.warn({ attempt }, "assignment without a task; ignored");
      return;
    }
    const current = this.byTask.get(task.id);
    if (current !== undefined && current.attempt === attempt) {
      logger.debug({ taskId: task.id, attempt }, "duplicate assignment ignored");
      return;
    }
    if (draining) return reporter.handBack(task.id, attempt, "agent is draining");
    if (current !== undefined) {
      // The coordinator gave the task a new attempt (ours expired): the old run is not ours.
      this.silenceAndAbort(current, `superseded by attempt ${attempt}`);
    }
    let decoded: ExecutionTask;
    try {
      decoded = executionTaskFromWire(task);
    } catch (error) {
      return this.refuse(
        task.id,
        attempt,
        taskFailure(
          "invalid_argument",
          `assigned task is malformed: ${AppError.from(error).message}`,
          false,
        ),
      );
    }
    const kind = executorKindOf(decoded.action);
    const executor = this.options.registry.get(kind);
    if (executor === undefined) {
      const has = this.options.registry.kinds.join(", ");
      const message =
        kind === "freeform"
          ? `task has no action (free-form work); this agent executes only ${has} actions`
          : `this agent has no ${kind} executor (it executes ${has})`;
      return this.refuse(task.id, attempt, taskFailure("unimplemented", message, false));
    }
    // Checked last: a refusal above takes no slot.
    if (this.runs.size >= this.options.maxConcurrency) {
      return reporter.handBack(
        task.id,
        attempt,
        `agent is at its concurrency limit (${this.options.maxConcurrency})`,
      );
    }
    this.start(decoded, attempt, executor);
  }

  /** Stops a run without reporting it (the coordinator already let it go). */
  cancel(taskId: string, attempt: number, reason: string): void {
    const run = this.runs.get(key(taskId, attempt));
    if (run === undefined || run.silenced) return;
    this.options.logger.info({ taskId, attempt, reason }, "task cancelled by the coordinator");
    this.silenceAndAbort(run, reason || "cancelled by the coordinator");
  }

  /** Stops runs the coordinator says are no longer this agent's. */
  abandon(tasks: readonly HeldTask[]): void {
    for (const { taskId, attempt } of tasks) {
      const run = this.runs.get(key(taskId, attempt));
      if (run === undefined || run.silenced) continue;
      this.options.logger.warn(
        { taskId, attempt },
        "task no longer ours after reconnecting; stopping it",
      );
      this.silenceAndAbort(run, "abandoned: the coordinator reassigned it");
    }
  }

  /** Runs whose outcome will be reported: what the agent still holds. */
  held(): HeldTask[] {
    return this.active().map((run) => ({ taskId: run.taskId, attempt: run.attempt }));
  }

  views(): RunView[] {
    return this.active().map(
      ({ taskId, attempt, title, executor, startedAt, percent, message }) => ({
        taskId,
        attempt,
        title,
        executor,
        startedAt,
        percent,
        message,
      }),
    );
  }

  /** Resolves true once no reportable run is left, or false after `timeoutMs`. */
  waitIdle(timeoutMs: number): Promise<boolean> {
    if (this.byTask.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      this.idleWaiters.push(done);
    });
  }

  /** Hands back and aborts every reportable run, then waits (up to `timeoutMs`) for all runs to end. */
  async handBackAll(reason: string, timeoutMs: number): Promise<void> {
    for (const run of this.active()) {
      this.options.reporter.handBack(run.taskId, run.attempt, reason);
      this.silenceAndAbort(run, reason);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.all([...this.runs.values()].map((run) => run.done)), timeout]);
    clearTimeout(timer);
  }

  private start(task: ExecutionTask, attempt: number, executor: Executor): void {
    const { reporter, logger } = this.options;
    const run: Run = {
      taskId: task.id,
      attempt,
      title: task.title,
      executor: executor.kind,
      startedAt: Date.now(),
      percent: 0,
      message: "",
      controller: null,
      silenced: false,
      done: Promise.resolve(),
    };
    const runKey = key(task.id, attempt);
    this.runs.set(runKey, run);
    this.byTask.set(task.id, run);
    reporter.started(task.id, attempt);
    // A child logger serialises its bindings when made; most runs never log, so make it on use.
    let runLogger: Logger | undefined;
    const logFor = () =>
      (runLogger ??= logger.child({ taskId: task.id, attempt, executor: executor.kind }));
    run.done = this.execute(executor, {
      task,
      attempt,
      get signal() {
        return (run.controller ??= new AbortController()).signal;
      },
      get aborted() {
        return run.controller?.signal.aborted ?? false;
      },
      messages: () => this.options.messagesFor?.(task.id) ?? [],
      knowledge: () => this.options.knowledgeFor?.(task.id) ?? Promise.resolve([]),
      get logger() {
        return logFor();
      },
      reportProgress: (percent, message) => {
        if (run.silenced) return;
        run.percent = Math.max(
          0,
          Math.min(100, Math.round(Number.isFinite(percent) ? percent : 0)),
        );
        run.message = message;
        reporter.progress(task.id, attempt, run.percent, message);
      },
    }).then((result) => {
      this.runs.delete(runKey);
      if (this.byTask.get(task.id) === run) this.byTask.delete(task.id);
      if (!run.silenced) {
        if (result.error === null) this.completedCount += 1;
        else this.failedCount += 1;
        if (logger.isLevelEnabled("debug")) {
          logFor().debug({ ok: result.error === null, code: result.error?.code }, "task run ended");
        }
        reporter.finished(task.id, attempt, result);
      }
      this.notifyIdle();
    });
  }

  /** Executors promise not to throw; this keeps a broken one from taking the agent down. */
  private async execute(
    executor: Executor,
    context: Parameters<Executor["execute"]>[0],
  ): Promise<TaskResult> {
    try {
      return await executor.execute(context);
    } catch (error) {
      context.logger.error({ err: error }, "executor threw instead of returning a result");
      return taskFailure(
        "internal",
        `executor ${executor.kind} failed: ${AppError.from(error).message}`,
        true,
      );
    }
  }

  private refuse(taskId: string, attempt: number, result: TaskResult): void {
    this.options.logger.warn(
      { taskId, attempt, code: result.error?.code, reason: result.error?.message },
      "assignment refused",
    );
    this.failedCount += 1;
    this.options.reporter.finished(taskId, attempt, result);
  }

  private silenceAndAbort(run: Run, reason: string): void {
    run.silenced = true;
    if (this.byTask.get(run.taskId) === run) this.byTask.delete(run.taskId);
    (run.controller ??= new AbortController()).abort(new AppError("cancelled", reason));
    this.notifyIdle();
  }

  private active(): Run[] {
    return [...this.byTask.values()];
  }

  private notifyIdle(): void {
    if (this.idleWaiters.length === 0 || this.byTask.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const waiter of waiters) waiter();
  }
}

function key(taskId: string, attempt: number): string {
  return `${taskId}#${attempt}`;
}
