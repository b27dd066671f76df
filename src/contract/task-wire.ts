import {
  AppError,
  type ErrorCode,
  isErrorCode,
  type TaskAction,
  type TaskError,
  type TaskEventRecord,
  type TaskRecord,
  type TaskResult,
  type TaskSpec,
} from "../domain/index.js";
import type {
  Task as WireTask,
  TaskAction as WireTaskAction,
  TaskError as WireTaskError,
  TaskEvent as WireTaskEvent,
  TaskResult as WireTaskResult,
  TaskSpec as WireTaskSpec,
} from "../gen/mcp/v1/task.js";
import {
  agentTypeFromWire,
  agentTypeToWire,
  priorityFromWire,
  priorityToWire,
  statusToWire,
} from "./enum-maps.js";
import { parseJsonField, parseJsonObjectField } from "./json-field.js";

export function actionToWire(action: TaskAction | null): WireTaskAction | undefined {
  if (action === null) return undefined;
  switch (action.kind) {
    case "command":
      return {
        kind: {
          $case: "command",
          value: {
            argv: action.argv,
            cwd: action.cwd ?? "",
            env: action.env,
            timeoutMs: action.timeoutMs ?? 0,
          },
        },
      };
    case "noop":
      return { kind: { $case: "noop", value: {} } };
    case "integration":
      return {
        kind: {
          $case: "integration",
          value: {
            integration: action.integration,
            service: action.service ?? "",
            operation: action.operation,
            parametersJson: JSON.stringify(action.parameters),
            timeoutMs: action.timeoutMs ?? 0,
          },
        },
      };
  }
}

export function actionFromWire(
  action: WireTaskAction | undefined,
  field: string,
): TaskAction | null {
  if (action === undefined) return null;
  const kind = action.kind;
  if (kind === undefined)
    throw AppError.invalidArgument(
      field,
      `${field} must set one kind of action (command, noop or integration)`,
    );
  switch (kind.$case) {
    case "command":
      return {
        kind: "command",
        argv: kind.value.argv,
        cwd: kind.value.cwd === "" ? null : kind.value.cwd,
        env: kind.value.env,
        timeoutMs: kind.value.timeoutMs === 0 ? null : kind.value.timeoutMs,
      };
    case "noop":
      return { kind: "noop" };
    case "integration":
      return {
        kind: "integration",
        integration: kind.value.integration,
        service: kind.value.service === "" ? null : kind.value.service,
        operation: kind.value.operation,
        parameters: parseJsonObjectField(
          kind.value.parametersJson,
          `${field}.integration.parameters_json`,
        ),
        timeoutMs: kind.value.timeoutMs === 0 ? null : kind.value.timeoutMs,
      };
  }
}

export function taskErrorToWire(error: TaskError): WireTaskError {
  return { code: error.code, message: error.message, retryable: error.retryable };
}

export function taskErrorFromWire(error: WireTaskError): TaskError {
  const code: ErrorCode = isErrorCode(error.code) ? error.code : "internal";
  return { code, message: error.message, retryable: error.retryable };
}

export function resultToWire(result: TaskResult): WireTaskResult {
  return {
    outputJson: result.output === null ? "" : JSON.stringify(result.output),
    error: result.error ? taskErrorToWire(result.error) : undefined,
  };
}

export function resultFromWire(result: WireTaskResult | undefined, field: string): TaskResult {
  if (result === undefined) return { output: null, error: null };
  return {
    output: parseJsonField(result.outputJson, `${field}.output_json`),
    error: result.error ? taskErrorFromWire(result.error) : null,
  };
}

/** A stored task as it travels; `waitingFor` is computed by the coordinator when read. */
export function taskToWire(task: TaskRecord, waitingFor = ""): WireTask {
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    type: agentTypeToWire(task.type),
    priority: priorityToWire(task.priority),
    status: statusToWire(task.status),
    dependencies: task.dependencies,
    requiredCapabilities: task.requiredCapabilities,
    action: actionToWire(task.action),
    metadataJson: JSON.stringify(task.metadata),
    projectId: task.projectId ?? "",
    parentTaskId: task.parentId ?? "",
    attempt: task.attempt,
    maxAttempts: task.maxAttempts,
    failedAttempts: task.failedAttempts,
    agentId: task.agentId ?? "",
    statusReason: task.statusReason,
    result: task.result ? resultToWire(task.result) : undefined,
    progress: task.progress
      ? {
          percent: task.progress.percent,
          message: task.progress.message,
          updatedAtMs: task.progress.updatedAt,
        }
      : undefined,
    createdAtMs: task.createdAt,
    updatedAtMs: task.updatedAt,
    startedAtMs: task.startedAt ?? 0,
    finishedAtMs: task.finishedAt ?? 0,
    notBeforeMs: task.notBefore ?? 0,
    leaseExpiresAtMs: task.leaseExpiresAt ?? 0,
    waitingFor,
  };
}

/** Decodes a submitted spec; `field` names it in errors (e.g. "tasks[0]"). Not yet validated. */
export function taskSpecFromWire(spec: WireTaskSpec, field: string): TaskSpec {
  const at = (name: string) => (field ? `${field}.${name}` : name);
  return {
    ref: spec.ref === "" ? null : spec.ref,
    title: spec.title,
    description: spec.description,
    type: agentTypeFromWire(spec.type, at("type")),
    priority: priorityFromWire(spec.priority, at("priority"), "medium"),
    dependencies: spec.dependencies,
    requiredCapabilities: spec.requiredCapabilities,
    action: actionFromWire(spec.action, at("action")),
    metadata: parseJsonObjectField(spec.metadataJson, at("metadata_json")),
    projectId: spec.projectId === "" ? null : spec.projectId,
    parentId: spec.parentTaskId === "" ? null : spec.parentTaskId,
    maxAttempts: spec.maxAttempts === 0 ? null : spec.maxAttempts,
  };
}

export function taskSpecToWire(spec: TaskSpec): WireTaskSpec {
  return {
    ref: spec.ref ?? "",
    title: spec.title,
    description: spec.description,
    type: agentTypeToWire(spec.type),
    priority: priorityToWire(spec.priority),
    dependencies: spec.dependencies,
    requiredCapabilities: spec.requiredCapabilities,
    action: actionToWire(spec.action),
    metadataJson: JSON.stringify(spec.metadata),
    projectId: spec.projectId ?? "",
    parentTaskId: spec.parentId ?? "",
    maxAttempts: spec.maxAttempts ?? 0,
  };
}

export function eventToWire(event: TaskEventRecord): WireTaskEvent {
  return {
    taskId: event.taskId,
    atMs: event.at,
    from: event.from === null ? 0 : statusToWire(event.from),
    to: statusToWire(event.to),
    actor: event.actor,
    reason: event.reason,
    attempt: event.attempt,
    detailsJson: event.details === null ? "" : JSON.stringify(event.details),
  };
}
