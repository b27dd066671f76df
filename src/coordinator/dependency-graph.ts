/**
 * Which blocked tasks wait on which others. A task leaves the graph when all its
 * dependencies completed (it becomes ready) or when it is cancelled. When a dependency fails
 * for good, every task downstream of it is marked doomed, with the reason kept.
 */
export class DependencyGraph {
  private readonly unmet = new Map<string, Set<string>>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly doomed = new Map<string, string>();

  get size(): number {
    return this.unmet.size;
  }

  has(taskId: string): boolean {
    return this.unmet.has(taskId);
  }

  /** Registers a blocked task and the dependencies it still waits for. */
  add(taskId: string, waitingFor: readonly string[]): void {
    this.unmet.set(taskId, new Set(waitingFor));
    for (const dep of waitingFor) {
      let set = this.dependents.get(dep);
      if (!set) {
        set = new Set();
        this.dependents.set(dep, set);
      }
      set.add(taskId);
    }
  }

  /** Marks a task as never able to run because `reason` (a dependency failed). */
  doom(taskId: string, reason: string): void {
    if (this.unmet.has(taskId) && !this.doomed.has(taskId)) this.doomed.set(taskId, reason);
  }

  /** The dependency completed; returns the tasks now free to run. */
  complete(depId: string): string[] {
    const waiting = this.dependents.get(depId);
    if (!waiting) return [];
    this.dependents.delete(depId);
    const ready: string[] = [];
    for (const taskId of waiting) {
      const set = this.unmet.get(taskId);
      if (!set) continue;
      set.delete(depId);
      if (set.size === 0 && !this.doomed.has(taskId)) {
        this.remove(taskId);
        ready.push(taskId);
      }
    }
    return ready;
  }

  /**
   * The dependency failed or was cancelled for good. Returns every task downstream that is
   * newly doomed, each with its reason (direct dependents name the task, others the path).
   */
  fail(depId: string, reason: string): Array<{ taskId: string; reason: string }> {
    const out: Array<{ taskId: string; reason: string }> = [];
    const queue: Array<{ id: string; why: string }> = [{ id: depId, why: reason }];
    while (queue.length > 0) {
      const { id, why } = queue.shift() as { id: string; why: string };
      for (const taskId of this.dependents.get(id) ?? []) {
        if (this.doomed.has(taskId) || !this.unmet.has(taskId)) continue;
        this.doomed.set(taskId, why);
        out.push({ taskId, reason: why });
        queue.push({ id: taskId, why: `upstream ${why}` });
      }
    }
    return out;
  }

  /** Dependencies the task still waits for. */
  waitingFor(taskId: string): readonly string[] {
    return [...(this.unmet.get(taskId) ?? [])];
  }

  doomedReason(taskId: string): string | null {
    return this.doomed.get(taskId) ?? null;
  }

  /** Forgets a task (it ran, or it was cancelled). */
  remove(taskId: string): void {
    const set = this.unmet.get(taskId);
    if (set) {
      for (const dep of set) {
        const waiting = this.dependents.get(dep);
        waiting?.delete(taskId);
        if (waiting?.size === 0) this.dependents.delete(dep);
      }
    }
    this.unmet.delete(taskId);
    this.doomed.delete(taskId);
  }
}
