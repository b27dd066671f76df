import {
  AppError,
  newTaskId,
  TASK_LIMITS,
  type TaskRecord,
  type TaskSpec,
  type TaskStatus,
  validateTaskSpec,
} from "../domain/index.js";
import type { CoordinatorState } from "./coordinator-state.js";
import { findCycle } from "./find-cycle.js";

/** Where a dependency stands when a task that needs it is created. */
interface DependencyState {
  status: TaskStatus;
  /** Set when the dependency itself can never run. */
  doomed: string | null;
}

export interface IntakeOptions {
  /** Project ids staged in the same commit (not yet in the store). */
  knownProjects?: ReadonlySet<string>;
  /** Runs once everything is validated, right before the tasks are staged (same commit). */
  beforeStaging?: () => void;
}

/**
 * Creating tasks: validation, references between tasks of one request, dependency checks
 * (unknown ids and cycles refused), the initial status (pending, or blocked on dependencies)
 * and queueing. Everything of one request is staged in one commit.
 */
export class TaskIntake {
  constructor(private readonly state: CoordinatorState) {}

  /**
   * Validates and stages `specs`; returns each task as it was created (before dispatch).
   */
  async create(
    specs: readonly TaskSpec[],
    actor: string,
    options: IntakeOptions = {},
  ): Promise<TaskRecord[]> {
    const knownProjects = options.knownProjects ?? new Set<string>();
    if (specs.length === 0)
      throw AppError.invalidArgument("tasks", "tasks must contain at least one task");
    if (specs.length > TASK_LIMITS.tasksPerRequest) {
      throw AppError.invalidArgument(
        "tasks",
        `tasks must contain at most ${TASK_LIMITS.tasksPerRequest} tasks`,
      );
    }
    const fieldOf = (i: number) => (specs.length > 1 ? `tasks[${i}]` : "");
    const validated = specs.map((spec, i) => validateTaskSpec(spec, fieldOf(i)));
    const refs = this.indexRefs(validated, fieldOf);
    this.refuseCycles(validated, refs);
    await this.checkProjects(validated, knownProjects, fieldOf);
    await this.checkParents(validated, fieldOf);
    const external = await this.resolveExternal(validated, refs, fieldOf);

    options.beforeStaging?.();
    // Checked again now that nothing awaits until the tasks are staged: a parent may have
    // finished while the checks above waited for the store.
    for (const [i, spec] of validated.entries()) {
      if (spec.parentId !== null && !this.state.tasks.has(spec.parentId)) {
        const field = fieldOf(i) ? `${fieldOf(i)}.parent_task_id` : "parent_task_id";
        throw new AppError(
          "failed_precondition",
          `parent task ${spec.parentId} has just finished`,
          {
            field,
          },
        );
      }
    }
    const order = topologicalOrder(validated, refs);
    const ids = validated.map(() => newTaskId());
    const created: TaskRecord[] = new Array<TaskRecord>(validated.length);
    const doomedByIndex = new Map<number, string>();
    const now = Date.now();
    for (const i of order) {
      const spec = validated[i] as TaskSpec;
      const dependencies: string[] = [];
      const unmet: string[] = [];
      let doomed: string | null = null;
      for (const dep of spec.dependencies) {
        const local = refs.get(dep);
        if (local !== undefined) {
          const depId = ids[local] as string;
          dependencies.push(depId);
          unmet.push(depId);
          const upstream = doomedByIndex.get(local);
          if (upstream && !doomed) doomed = `upstream ${upstream}`;
          continue;
        }
        const depState = external.get(dep) as DependencyState;
        dependencies.push(dep);
        if (depState.status === "completed") continue;
        unmet.push(dep);
        if (!doomed && (depState.status === "failed" || depState.status === "cancelled")) {
          doomed = `dependency ${dep} ${depState.status === "failed" ? "failed" : "was cancelled"}`;
        } else if (!doomed && depState.doomed) doomed = `upstream ${depState.doomed}`;
      }
      this.state.taskSeq += 1;
      const task: TaskRecord = {
        id: ids[i] as string,
        seq: this.state.taskSeq,
        title: spec.title,
        description: spec.description,
        type: spec.type,
        priority: spec.priority,
        status: unmet.length > 0 ? "blocked" : "pending",
        dependencies,
        requiredCapabilities: spec.requiredCapabilities,
        action: spec.action,
        metadata: spec.metadata,
        projectId: spec.projectId,
        parentId: spec.parentId,
        attempt: 0,
        maxAttempts: spec.maxAttempts ?? this.state.settings.maxAttempts,
        failedAttempts: 0,
        agentId: null,
        leaseToken: null,
        statusReason: "",
        result: null,
        progress: null,
        createdAt: now,
        updatedAt: now,
        startedAt: null,
        finishedAt: null,
        notBefore: null,
        leaseExpiresAt: null,
      };
      const reason = doomed
        ? `blocked for good: ${doomed}`
        : unmet.length > 0
          ? `waiting for ${unmet.length} of ${dependencies.length} dependenc${dependencies.length === 1 ? "y" : "ies"}`
          : "created";
      task.statusReason = reason;
      this.state.insert(task, actor, reason);
      if (task.parentId !== null) this.addSubtask(task.parentId, task.id, actor);
      created[i] = { ...task };
      if (unmet.length === 0) this.state.enqueue(task);
      else {
        this.state.graph.add(task.id, unmet);
        if (doomed) {
          this.state.graph.doom(task.id, doomed);
          doomedByIndex.set(i, doomed);
        }
      }
    }
    return created;
  }

  private indexRefs(
    specs: readonly TaskSpec[],
    fieldOf: (i: number) => string,
  ): Map<string, number> {
    const refs = new Map<string, number>();
    specs.forEach((spec, i) => {
      if (spec.ref === null) return;
      if (refs.has(spec.ref)) {
        const field = fieldOf(i) ? `${fieldOf(i)}.ref` : "ref";
        throw AppError.invalidArgument(
          field,
          `${field} ${JSON.stringify(spec.ref)} is used by more than one task`,
        );
      }
      refs.set(spec.ref, i);
    });
    return refs;
  }

  private refuseCycles(specs: readonly TaskSpec[], refs: ReadonlyMap<string, number>): void {
    const graph = new Map<string, string[]>();
    specs.forEach((spec, i) => {
      const node = spec.ref ?? `#${i}`;
      graph.set(
        node,
        spec.dependencies.filter((d) => refs.has(d)),
      );
    });
    const cycle = findCycle(graph);
    if (cycle) {
      throw new AppError(
        "failed_precondition",
        `the dependencies form a cycle: ${cycle.join(" -> ")}`,
        {
          field: "dependencies",
          cycle,
        },
      );
    }
  }

  /** A parent must be an existing, unfinished task. */
  private async checkParents(
    specs: readonly TaskSpec[],
    fieldOf: (i: number) => string,
  ): Promise<void> {
    for (const [i, spec] of specs.entries()) {
      const parentId = spec.parentId;
      if (parentId === null || this.state.tasks.has(parentId)) continue;
      const field = fieldOf(i) ? `${fieldOf(i)}.parent_task_id` : "parent_task_id";
      const stored = await this.state.store.getTask(parentId);
      if (stored === null) throw AppError.notFound("task", parentId, { field });
      throw new AppError(
        "failed_precondition",
        `parent task ${parentId} is ${stored.status}: subtasks can only be added to an unfinished task`,
        { field, parent_task_id: parentId },
      );
    }
  }

  private addSubtask(parentId: string, childId: string, actor: string): void {
    const parent = this.state.tasks.get(parentId);
    if (parent === undefined) return;
    this.state.subtasks.add(parentId, childId);
    this.state.note(
      parent,
      actor,
      `subtask ${childId} added by ${actor}`,
      { subtask_id: childId },
      false,
    );
  }

  private async checkProjects(
    specs: readonly TaskSpec[],
    known: ReadonlySet<string>,
    fieldOf: (i: number) => string,
  ): Promise<void> {
    const wanted = new Map<string, number>();
    specs.forEach((s, i) => {
      if (s.projectId !== null && !known.has(s.projectId) && !wanted.has(s.projectId))
        wanted.set(s.projectId, i);
    });
    for (const [projectId, i] of wanted) {
      if (!(await this.state.store.getProject(projectId))) {
        const field = fieldOf(i) ? `${fieldOf(i)}.project_id` : "project_id";
        throw AppError.notFound("project", projectId, { field });
      }
    }
  }

  /** The state of every dependency that is not a task of this request. */
  private async resolveExternal(
    specs: readonly TaskSpec[],
    refs: ReadonlyMap<string, number>,
    fieldOf: (i: number) => string,
  ): Promise<Map<string, DependencyState>> {
    const wanted = new Map<string, string>();
    specs.forEach((spec, i) =>
      spec.dependencies.forEach((dep, j) => {
        if (!refs.has(dep) && !wanted.has(dep))
          wanted.set(dep, `${fieldOf(i) ? `${fieldOf(i)}.` : ""}dependencies[${j}]`);
      }),
    );
    const result = new Map<string, DependencyState>();
    const fromMemory = () => {
      const missing: string[] = [];
      for (const id of wanted.keys()) {
        if (result.has(id)) continue;
        const active = this.state.tasks.get(id);
        const terminal = this.state.recentTerminalStatus(id);
        if (active)
          result.set(id, { status: active.status, doomed: this.state.graph.doomedReason(id) });
        else if (terminal) result.set(id, { status: terminal, doomed: null });
        else missing.push(id);
      }
      return missing;
    };
    const missing = fromMemory();
    if (missing.length > 0) {
      const stored = await this.state.store.getTasks(missing);
      // The store answered for the moment it was asked; memory may have moved on since.
      for (const task of stored) {
        if (!this.state.tasks.has(task.id))
          result.set(task.id, {
            status: this.state.recentTerminalStatus(task.id) ?? task.status,
            doomed: null,
          });
      }
      for (const id of fromMemory()) {
        throw AppError.notFound("task", id, { field: wanted.get(id) ?? "dependencies" });
      }
    }
    // A dependency that was active before the await may have finished meanwhile.
    for (const id of wanted.keys()) {
      const active = this.state.tasks.get(id);
      const terminal = this.state.recentTerminalStatus(id);
      if (active)
        result.set(id, { status: active.status, doomed: this.state.graph.doomedReason(id) });
      else if (terminal) result.set(id, { status: terminal, doomed: null });
    }
    return result;
  }
}

/** Indexes of `specs` so that every task comes after the tasks of the request it depends on. */
function topologicalOrder(specs: readonly TaskSpec[], refs: ReadonlyMap<string, number>): number[] {
  const order: number[] = [];
  const placed = new Set<number>();
  const visit = (i: number) => {
    const stack: Array<{ i: number; expanded: boolean }> = [{ i, expanded: false }];
    while (stack.length > 0) {
      const top = stack.pop() as { i: number; expanded: boolean };
      if (placed.has(top.i)) continue;
      if (top.expanded) {
        placed.add(top.i);
        order.push(top.i);
        continue;
      }
      stack.push({ i: top.i, expanded: true });
      for (const dep of (specs[top.i] as TaskSpec).dependencies) {
        const local = refs.get(dep);
        if (local !== undefined && !placed.has(local)) stack.push({ i: local, expanded: false });
      }
    }
  };
  specs.forEach((_, i) => visit(i));
  return order;
}
