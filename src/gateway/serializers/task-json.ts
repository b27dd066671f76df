import {
  actionFromWire,
  agentTypeFromWire,
  parseJsonField,
  parseJsonObjectField,
  priorityFromWire,
  statusFromWire,
  taskErrorFromWire,
  taskSpecToWire,
} from "../../contract/index.js";
import {
  AppError,
  DEFAULT_PRIORITY,
  isTaskStatus,
  type JsonObject,
  type TaskAction,
  TASK_STATUSES,
  type TaskStatus,
  validateTaskSpec,
} from "../../domain/index.js";
import type { GetTaskResponse } from "../../gen/mcp/v1/coordinator.js";
import {
  TaskStatus as WireTaskStatus,
  type Task,
  type TaskEvent,
  type TaskSpec,
} from "../../gen/mcp/v1/task.js";
import type {
  BatchTask,
  CreateTaskBody,
  TaskDetailJson,
  TaskEventJson,
  TaskJson,
} from "../schemas/task-schemas.js";
import { isoTime, isoTimeOrNull, stringOrNull } from "./time-json.js";

/**
 * Tasks between the REST API's JSON and the coordinator's messages: the one place they are
 * mapped. Enum and JSON-field conversions come from the contract layer; rules from the domain.
 */

type ActionJson = TaskJson["action"];

function actionToJson(action: TaskAction | null): ActionJson {
  if (action === null) return null;
  if (action.kind === "noop") return { kind: "noop" };
  if (action.kind === "integration") {
    return {
      kind: "integration",
      integration: action.integration,
      service: action.service,
      operation: action.operation,
      parameters: action.parameters,
      timeout_ms: action.timeoutMs,
    };
  }
  return {
    kind: "command",
    argv: action.argv,
    cwd: action.cwd,
    env: action.env,
    timeout_ms: action.timeoutMs,
  };
}

/** A task as the API reports it; `waitingFor` overrides the task's own when given. */
export function taskToJson(task: Task, waitingFor = task.waitingFor): TaskJson {
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    type: agentTypeFromWire(task.type, "type"),
    priority: priorityFromWire(task.priority, "priority", DEFAULT_PRIORITY),
    status: statusFromWire(task.status, "status"),
    status_reason: task.statusReason,
    waiting_for: stringOrNull(waitingFor),
    dependencies: task.dependencies,
    required_capabilities: task.requiredCapabilities,
    action: actionToJson(actionFromWire(task.action, "action")),
    metadata: parseJsonObjectField(task.metadataJson, "metadata_json"),
    project_id: stringOrNull(task.projectId),
    parent_task_id: stringOrNull(task.parentTaskId),
    attempt: task.attempt,
    max_attempts: task.maxAttempts,
    failed_attempts: task.failedAttempts,
    agent_id: stringOrNull(task.agentId),
    result:
      task.result === undefined
        ? null
        : {
            output: parseJsonField(task.result.outputJson, "result.output_json"),
            error: task.result.error ? taskErrorFromWire(task.result.error) : null,
          },
    progress:
      task.progress === undefined
        ? null
        : {
            percent: task.progress.percent,
            message: task.progress.message,
            updated_at: isoTime(task.progress.updatedAtMs),
          },
    created_at: isoTime(task.createdAtMs),
    updated_at: isoTime(task.updatedAtMs),
    started_at: isoTimeOrNull(task.startedAtMs),
    finished_at: isoTimeOrNull(task.finishedAtMs),
    not_before: isoTimeOrNull(task.notBeforeMs),
    lease_expires_at: isoTimeOrNull(task.leaseExpiresAtMs),
  };
}

export function taskEventToJson(event: TaskEvent): TaskEventJson {
  return {
    at: isoTime(event.atMs),
    from:
      event.from === WireTaskStatus.TASK_STATUS_UNSPECIFIED
        ? null
        : statusFromWire(event.from, "from"),
    to: statusFromWire(event.to, "to"),
    actor: event.actor,
    reason: event.reason,
    attempt: event.attempt,
    details:
      event.detailsJson === "" ? null : parseJsonObjectField(event.detailsJson, "details_json"),
  };
}

/** GET /api/v1/tasks/{id}: the task, what it waits for now, and its history. */
export function taskDetailToJson(response: GetTaskResponse): TaskDetailJson {
  if (response.task === undefined)
    throw new AppError("internal", "the coordinator answered GetTask without a task");
  return {
    ...taskToJson(response.task, response.waitingFor || response.task.waitingFor),
    history: response.history.map(taskEventToJson),
  };
}

function actionFromJson(action: CreateTaskBody["action"]): TaskAction | null {
  if (action === undefined) return null;
  if (action.kind === "noop") return { kind: "noop" };
  if (action.kind === "integration") {
    return {
      kind: "integration",
      integration: action.integration,
      service: action.service ?? null,
      operation: action.operation,
      parameters: (action.parameters ?? {}) as JsonObject,
      timeoutMs: action.timeout_ms ?? null,
    };
  }
  return {
    kind: "command",
    argv: action.argv,
    cwd: action.cwd ?? null,
    env: action.env ?? {},
    timeoutMs: action.timeout_ms ?? null,
  };
}

/**
 * A submitted task as the coordinator's TaskSpec, after the domain's rules (so an error names
 * the field as the client wrote it, e.g. `body.tasks[2].title`). `field` prefixes field names.
 */
export function taskSpecFromJson(body: CreateTaskBody | BatchTask, field: string): TaskSpec {
  const spec = validateTaskSpec(
    {
      ref: "ref" in body && body.ref !== undefined ? body.ref : null,
      title: body.title,
      description: body.description ?? "",
      type: body.type ?? null,
      priority: body.priority ?? DEFAULT_PRIORITY,
      dependencies: body.dependencies ?? [],
      requiredCapabilities: body.required_capabilities ?? [],
      action: actionFromJson(body.action),
      // The body is parsed JSON, so its metadata object holds only JSON values.
      metadata: (body.metadata ?? {}) as JsonObject,
      projectId: body.project_id ?? null,
      parentId: body.parent_task_id ?? null,
      maxAttempts: body.max_attempts ?? null,
    },
    field,
  );
  return taskSpecToWire(spec);
}

/** `?status=pending,blocked` as statuses; each entry must be a known status. */
export function taskStatusesFromQuery(text: string | undefined, field: string): TaskStatus[] {
  if (text === undefined) return [];
  const statuses = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const status of statuses) {
    if (!isTaskStatus(status)) {
      throw AppError.invalidArgument(
        field,
        `${field} must be a comma-separated list of ${TASK_STATUSES.join(", ")}: ${JSON.stringify(status)} is none of them`,
      );
    }
  }
  return [...new Set(statuses)] as TaskStatus[];
}
