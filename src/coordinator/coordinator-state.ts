import {
  assertTransition,
  isTerminal,
  type JsonObject,
  type TaskRecord,
  type TaskStatus,
} from "../domain/index.js";
import type { Logger } from "../observability/index.js";
import type { Store } from "../store/index.js";
import type { AgentEntry } from "./agent-entry.js";
import { AgentRegistry } from "./agent-registry.js";
import type { CoordinatorSettings } from "./coordinator-settings.js";
import { DelayQueue } from "./delay-queue.js";
import { DependencyGraph } from "./dependency-graph.js";
import type { GroupCommitter } from "./group-committer.js";
import { ReadyQueues } from "./ready-queues.js";
import { Subtasks } from "./subtasks.js";
import { type Requirements } from "./routing-key.js";
import { executorKindOf } from "../domain/index.js";

/** What happened to an agent: it registered (again), or its state changed. */
export type AgentChange = "registered" | "state";

/** Told about every transition and agent change (metrics, live events). */
export interface TransitionObserver {
  onTransition(
    task: TaskRecord,
    from: TaskStatus | null,
    to: TaskStatus,
    at: number,
    actor: string,
  ): void;
  /** A result was refused because its attempt was stale. */
  onStaleResult?(taskId: string): void;
  /** An agent registered or its state (online, draining, offline) changed. */
  onAgentChange?(agent: AgentEntry, change: AgentChange): void;
}

const RECENT_TERMINAL_LIMIT = 100_000;

/**
 * The coordinator's in-memory state: every unfinished task, the ready and delayed queues,
 * the dependency graph, the agents. The store is the durable copy; this is rebuilt from it
 * on start. Every change goes through {@link transition} (or {@link note}) so that the
 * transition table is asked and history is written.
 */
export class CoordinatorState {
  /** Tasks not in a terminal status. */
  readonly tasks = new Map<string, TaskRecord>();
  readonly ready = new ReadyQueues();
  readonly delayed: DelayQueue;
  readonly graph = new DependencyGraph();
  readonly agents = new AgentRegistry();
  readonly subtasks = new Subtasks();
  /** When each ready task entered its queue, for the dispatch latency metric. */
  readonly readySince = new Map<string, number>();
  /** How many tasks are in each status, all tasks ever stored; kept as they change. */
  readonly statusCounts = new Map<TaskStatus, number>();
  /** Terminal statuses of tasks that recently left memory (answers lookups without the store). */
  private readonly recentTerminal = new Map<string, TaskStatus>();
  taskSeq = 0;
  projectSeq = 0;
  private readonly observers: TransitionObserver[] = [];

  constructor(
    readonly settings: CoordinatorSettings,
    readonly store: Store,
    readonly committer: GroupCommitter,
    readonly logger: Logger,
    onDelayedDue: (ids: string[]) => void,
  ) {
    this.delayed = new DelayQueue(onDelayedDue);
  }

  observe(observer: TransitionObserver): void {
    this.observers.push(observer);
  }

  staleResult(taskId: string): void {
    for (const o of this.observers) o.onStaleResult?.(taskId);
  }

  /** Records a new task (already in its initial status) and its creation event. */
  insert(task: TaskRecord, actor: string, reason: string): void {
    this.tasks.set(task.id, task);
    this.count(task.status, 1);
    this.committer.stageTask(task);
    this.committer.stageEvent({
      taskId: task.id,
      at: task.createdAt,
      from: null,
      to: task.status,
      actor,
      reason,
      attempt: task.attempt,
      details: null,
    });
    for (const o of this.observers) o.onTransition(task, null, task.status, task.createdAt, actor);
  }

  /**
   * Moves a task to `to` if the transition table allows it (throws failed_precondition
   * otherwise), keeps the reason, stages the row and appends history.
   */
  transition(
    task: TaskRecord,
    to: TaskStatus,
    actor: string,
    reason: string,
    details: JsonObject | null = null,
  ): void {
    assertTransition(task.id, task.status, to);
    const from = task.status;
    const now = Date.now();
    task.status = to;
    task.statusReason = reason;
    task.updatedAt = now;
    this.count(from, -1);
    this.count(to, 1);
    this.committer.stageTask(task);
    this.committer.stageEvent({
      taskId: task.id,
      at: now,
      from,
      to,
      actor,
      reason,
      attempt: task.attempt,
      details,
    });
    if (isTerminal(to)) {
      this.tasks.delete(task.id);
      this.rememberTerminal(task.id, to);
    }
    for (const o of this.observers) o.onTransition(task, from, to, now, actor);
  }

  /** Appends a history entry without changing status (e.g. a new reason for being blocked). */
  note(
    task: TaskRecord,
    actor: string,
    reason: string,
    details: JsonObject | null = null,
    changeReason = true,
  ): void {
    const now = Date.now();
    if (changeReason) task.statusReason = reason;
    task.updatedAt = now;
    this.committer.stageTask(task);
    this.committer.stageEvent({
      taskId: task.id,
      at: now,
      from: task.status,
      to: task.status,
      actor,
      reason,
      attempt: task.attempt,
      details,
    });
  }

  /** Stages an agent's record after it registered or changed state, and tells the observers. */
  saveAgent(agent: AgentEntry, change: AgentChange): void {
    this.committer.stageAgent(agent.record);
    for (const o of this.observers) o.onAgentChange?.(agent, change);
  }

  /** Puts a pending task where the scheduler finds it: ready now, or after its backoff. */
  enqueue(task: TaskRecord): void {
    if (task.notBefore !== null && task.notBefore > Date.now()) {
      this.delayed.add(task.id, task.notBefore);
      return;
    }
    this.ready.add(task.id, requirementsOf(task), task.priority, task.seq);
    this.readySince.set(task.id, Date.now());
  }

  /** Takes a task out of the ready and delayed queues. */
  dequeue(taskId: string): void {
    this.ready.remove(taskId);
    this.delayed.remove(taskId);
    this.readySince.delete(taskId);
  }

  private count(status: TaskStatus, delta: number): void {
    this.statusCounts.set(status, (this.statusCounts.get(status) ?? 0) + delta);
  }

  /** The status of a task that recently became terminal, if known without the store. */
  recentTerminalStatus(taskId: string): TaskStatus | undefined {
    return this.recentTerminal.get(taskId);
  }

  private rememberTerminal(taskId: string, status: TaskStatus): void {
    this.recentTerminal.set(taskId, status);
    if (this.recentTerminal.size > RECENT_TERMINAL_LIMIT) {
      const oldest = this.recentTerminal.keys().next().value;
      if (oldest !== undefined) this.recentTerminal.delete(oldest);
    }
  }
}

/** What a task needs from an agent. */
export function requirementsOf(task: TaskRecord): Requirements {
  return {
    type: task.type,
    executor: executorKindOf(task.action),
    capabilities: task.requiredCapabilities,
  };
}
