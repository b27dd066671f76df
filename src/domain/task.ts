import type { AgentType } from "./agent-type.js";
import type { ErrorCode } from "./error-code.js";
import type { JsonObject, JsonValue } from "./json.js";
import type { Priority } from "./priority.js";
import type { TaskAction } from "./task-action.js";
import type { TaskStatus } from "./task-status.js";

/** Why an attempt failed. */
export interface TaskError {
  code: ErrorCode;
  message: string;
  /** Whether another attempt may succeed. */
  retryable: boolean;
}

/** What an attempt produced. `error` set means the attempt failed. */
export interface TaskResult {
  output: JsonValue;
  error: TaskError | null;
}

export interface TaskProgress {
  percent: number;
  message: string;
  updatedAt: number;
}

/** A task as the coordinator keeps it. Times are milliseconds since the epoch. */
export interface TaskRecord {
  id: string;
  /** Creation order; FIFO within a priority and a stable order for listings. */
  seq: number;
  title: string;
  description: string;
  /** The agent type required; null means any type with the required capabilities. */
  type: AgentType | null;
  priority: Priority;
  status: TaskStatus;
  dependencies: string[];
  /** Normalised (see normalizeCapabilities). */
  requiredCapabilities: string[];
  /** Null for free-form work. */
  action: TaskAction | null;
  metadata: JsonObject;
  projectId: string | null;
  /** The task this one is a subtask of; the parent completes only after its subtasks. */
  parentId: string | null;
  /** Fencing token: grows by one with every assignment. */
  attempt: number;
  maxAttempts: number;
  /** Attempts that ended in failure or an expired lease. Hand-backs do not count. */
  failedAttempts: number;
  agentId: string | null;
  /** Proves the lease holder (pull workers send it back). */
  leaseToken: string | null;
  /** Why the task is in its status. */
  statusReason: string;
  result: TaskResult | null;
  progress: TaskProgress | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Not eligible for assignment before this time (retry backoff). */
  notBefore: number | null;
  leaseExpiresAt: number | null;
}

/** One entry of a task's history: a transition, or a change of reason within a status. */
export interface TaskEventRecord {
  taskId: string;
  at: number;
  /** Null for the creation event. */
  from: TaskStatus | null;
  to: TaskStatus;
  /** "client", "coordinator", or an agent id. */
  actor: string;
  reason: string;
  attempt: number;
  /** E.g. the routing explanation of an assignment. */
  details: JsonObject | null;
}
