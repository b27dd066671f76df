import {
  isAgentType,
  isPriority,
  isTaskStatus,
  type JsonObject,
  type TaskAction,
  type TaskProgress,
  type TaskRecord,
  type TaskResult,
} from "../../domain/index.js";
import { decodeEnumColumn, parseJsonColumn, parseNullableJsonColumn } from "./row-decoding.js";

/** A row of the `tasks` table; keys are the column names, so it binds as named parameters. */
export interface TaskRow {
  id: string;
  seq: number;
  title: string;
  description: string;
  type: string | null;
  priority: string;
  status: string;
  dependencies: string;
  required_capabilities: string;
  action: string | null;
  metadata: string;
  project_id: string | null;
  parent_id: string | null;
  attempt: number;
  max_attempts: number;
  failed_attempts: number;
  agent_id: string | null;
  lease_token: string | null;
  status_reason: string;
  result: string | null;
  progress: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  not_before: number | null;
  lease_expires_at: number | null;
}

/** The columns of {@link TaskRow}, in table order. */
export const TASK_COLUMNS: readonly (keyof TaskRow)[] = [
  "id",
  "seq",
  "title",
  "description",
  "type",
  "priority",
  "status",
  "dependencies",
  "required_capabilities",
  "action",
  "metadata",
  "project_id",
  "parent_id",
  "attempt",
  "max_attempts",
  "failed_attempts",
  "agent_id",
  "lease_token",
  "status_reason",
  "result",
  "progress",
  "created_at",
  "updated_at",
  "started_at",
  "finished_at",
  "not_before",
  "lease_expires_at",
];

/** The columns an update may change: a task's state (see {@link taskStateRow}). */
export type TaskStateColumn =
  | "priority"
  | "status"
  | "attempt"
  | "max_attempts"
  | "failed_attempts"
  | "agent_id"
  | "lease_token"
  | "status_reason"
  | "result"
  | "progress"
  | "updated_at"
  | "started_at"
  | "finished_at"
  | "not_before"
  | "lease_expires_at";

/**
 * A task's state as row values. Its identity and what was submitted (title, description,
 * type, dependencies, action, metadata, project, created_at) are written once, so updates
 * bind only these and leave the other columns' indexes alone.
 */
export function taskStateRow(task: TaskRecord): Pick<TaskRow, TaskStateColumn> {
  return {
    priority: task.priority,
    status: task.status,
    attempt: task.attempt,
    max_attempts: task.maxAttempts,
    failed_attempts: task.failedAttempts,
    agent_id: task.agentId,
    lease_token: task.leaseToken,
    status_reason: task.statusReason,
    result: task.result === null ? null : JSON.stringify(task.result),
    progress: task.progress === null ? null : JSON.stringify(task.progress),
    updated_at: task.updatedAt,
    started_at: task.startedAt,
    finished_at: task.finishedAt,
    not_before: task.notBefore,
    lease_expires_at: task.leaseExpiresAt,
  };
}

/** The state columns in the order the update statement binds them. */
export const TASK_STATE_COLUMNS = Object.keys(
  taskStateRow({ result: null, progress: null } as TaskRecord),
) as TaskStateColumn[];

/** The task columns to select: everything but the history. */
export const TASK_SELECT = TASK_COLUMNS.join(", ");

/** Parameters of the state update: the state columns in order, the history to append, seq, id. */
export function taskStateParams(task: TaskRecord, history: string): unknown[] {
  const state = taskStateRow(task);
  return [...TASK_STATE_COLUMNS.map((column) => state[column]), history, task.seq, task.id];
}

export function taskToRow(task: TaskRecord): TaskRow {
  return {
    id: task.id,
    seq: task.seq,
    title: task.title,
    description: task.description,
    type: task.type,
    dependencies: JSON.stringify(task.dependencies),
    required_capabilities: JSON.stringify(task.requiredCapabilities),
    action: task.action === null ? null : JSON.stringify(task.action),
    metadata: JSON.stringify(task.metadata),
    project_id: task.projectId,
    parent_id: task.parentId,
    created_at: task.createdAt,
    ...taskStateRow(task),
  };
}

export function taskFromRow(row: TaskRow): TaskRecord {
  const id = row.id;
  return {
    id,
    seq: row.seq,
    title: row.title,
    description: row.description,
    type: row.type === null ? null : decodeEnumColumn(row.type, isAgentType, "tasks", "type", id),
    priority: decodeEnumColumn(row.priority, isPriority, "tasks", "priority", id),
    status: decodeEnumColumn(row.status, isTaskStatus, "tasks", "status", id),
    dependencies: parseJsonColumn<string[]>(row.dependencies, "tasks", "dependencies", id),
    requiredCapabilities: parseJsonColumn<string[]>(
      row.required_capabilities,
      "tasks",
      "required_capabilities",
      id,
    ),
    action: parseNullableJsonColumn<TaskAction>(row.action, "tasks", "action", id),
    metadata: parseJsonColumn<JsonObject>(row.metadata, "tasks", "metadata", id),
    projectId: row.project_id,
    parentId: row.parent_id,
    attempt: row.attempt,
    maxAttempts: row.max_attempts,
    failedAttempts: row.failed_attempts,
    agentId: row.agent_id,
    leaseToken: row.lease_token,
    statusReason: row.status_reason,
    result: parseNullableJsonColumn<TaskResult>(row.result, "tasks", "result", id),
    progress: parseNullableJsonColumn<TaskProgress>(row.progress, "tasks", "progress", id),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    notBefore: row.not_before,
    leaseExpiresAt: row.lease_expires_at,
  };
}
