import { randomUUID } from "node:crypto";

/** A new task id. */
export function newTaskId(): string {
  return `task_${randomUUID()}`;
}

export function newProjectId(): string {
  return `proj_${randomUUID()}`;
}

export function newAgentId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** An unguessable lease token. */
export function newLeaseToken(): string {
  return randomUUID();
}
