const NONE: readonly string[] = [];

/**
 * Which tasks have unfinished subtasks, which of their subtasks failed, and which parents
 * finished their own work and now wait for their subtasks (they are `blocked` until then).
 */
export class Subtasks {
  private readonly open = new Map<string, Set<string>>();
  private readonly failures = new Map<string, string>();
  private readonly awaiting = new Set<string>();

  add(parentId: string, childId: string): void {
    let children = this.open.get(parentId);
    if (children === undefined) {
      children = new Set();
      this.open.set(parentId, children);
    }
    children.add(childId);
  }

  /** The parent's subtasks that have not finished, in the order they were added. */
  unfinished(parentId: string): readonly string[] {
    const children = this.open.get(parentId);
    // Most tasks have none: no array made for them on every completion.
    return children === undefined ? NONE : [...children];
  }

  /** A subtask finished (any way); `failure` says why it did not complete. */
  ended(parentId: string, childId: string, failure: string | null): void {
    const children = this.open.get(parentId);
    children?.delete(childId);
    if (children?.size === 0) this.open.delete(parentId);
    if (failure !== null) this.recordFailure(parentId, failure);
  }

  /** Keeps the first reason a subtask of `parentId` will never complete. */
  recordFailure(parentId: string, failure: string): void {
    if (!this.failures.has(parentId)) this.failures.set(parentId, failure);
  }

  failure(parentId: string): string | null {
    return this.failures.get(parentId) ?? null;
  }

  /** The parent finished its own work and waits (blocked) for its subtasks. */
  await(parentId: string): void {
    this.awaiting.add(parentId);
  }

  isAwaiting(parentId: string): boolean {
    return this.awaiting.has(parentId);
  }

  /** The parent is settled (or gone): forget everything about it. */
  forget(parentId: string): void {
    this.open.delete(parentId);
    this.failures.delete(parentId);
    this.awaiting.delete(parentId);
  }
}
