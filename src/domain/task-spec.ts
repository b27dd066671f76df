import type { AgentType } from "./agent-type.js";
import { AppError } from "./app-error.js";
import { checkMaxEntries, checkMaxLength, fieldPath, requireText } from "./field-checks.js";
import { normalizeCapabilities } from "./capability.js";
import type { JsonObject } from "./json.js";
import type { Priority } from "./priority.js";
import type { TaskAction } from "./task-action.js";

/** A task as a client submits it, after decoding; see validateTaskSpec for the rules. */
export interface TaskSpec {
  /** A name for the task within one request, so that others in it can depend on it. */
  ref: string | null;
  title: string;
  description: string;
  type: AgentType | null;
  priority: Priority;
  /** Ids of existing tasks, or refs of tasks in the same request. */
  dependencies: string[];
  requiredCapabilities: string[];
  action: TaskAction | null;
  metadata: JsonObject;
  projectId: string | null;
  /** The task this one is a subtask of: the parent waits for its subtasks to finish. */
  parentId: string | null;
  /** Null means the coordinator's default. */
  maxAttempts: number | null;
}

/** Limits on what one task may carry. */
export const TASK_LIMITS = {
  titleLength: 500,
  descriptionLength: 100_000,
  dependencies: 1_000,
  capabilities: 64,
  capabilityLength: 64,
  argv: 1_000,
  argLength: 100_000,
  envEntries: 200,
  metadataBytes: 64 * 1024,
  integrationParametersBytes: 256 * 1024,
  maxAttempts: 100,
  commandTimeoutMs: 86_400_000,
  refLength: 200,
  tasksPerRequest: 10_000,
} as const;

/**
 * Checks the rules no schema can express everywhere (gRPC clients skip the REST schema) and
 * normalises capabilities. `field` prefixes the field names in errors, e.g. "tasks[2]".
 */
export function validateTaskSpec(spec: TaskSpec, field: string): TaskSpec {
  const at = (name: string) => fieldPath(field, name);
  const title = requireText(spec.title, at("title"), TASK_LIMITS.titleLength);
  checkMaxLength(spec.description, at("description"), TASK_LIMITS.descriptionLength);
  checkMaxEntries(spec.dependencies.length, at("dependencies"), TASK_LIMITS.dependencies);
  spec.dependencies.forEach((dep, i) => {
    if (dep.trim().length === 0)
      throw AppError.invalidArgument(
        `${at("dependencies")}[${i}]`,
        `${at("dependencies")}[${i}] must not be empty`,
      );
  });
  if (new Set(spec.dependencies).size !== spec.dependencies.length) {
    throw AppError.invalidArgument(
      at("dependencies"),
      `${at("dependencies")} must not repeat an entry`,
    );
  }
  checkMaxEntries(
    spec.requiredCapabilities.length,
    at("required_capabilities"),
    TASK_LIMITS.capabilities,
  );
  spec.requiredCapabilities.forEach((cap, i) => {
    const name = `${at("required_capabilities")}[${i}]`;
    if (cap.trim().length === 0 || cap.length > TASK_LIMITS.capabilityLength) {
      throw AppError.invalidArgument(
        name,
        `${name} must be 1 to ${TASK_LIMITS.capabilityLength} characters`,
      );
    }
  });
  if (spec.ref !== null && (spec.ref.length === 0 || spec.ref.length > TASK_LIMITS.refLength)) {
    throw AppError.invalidArgument(
      at("ref"),
      `${at("ref")} must be 1 to ${TASK_LIMITS.refLength} characters`,
    );
  }
  if (
    spec.maxAttempts !== null &&
    (spec.maxAttempts < 1 || spec.maxAttempts > TASK_LIMITS.maxAttempts)
  ) {
    throw AppError.invalidArgument(
      at("max_attempts"),
      `${at("max_attempts")} must be from 1 to ${TASK_LIMITS.maxAttempts}`,
    );
  }
  if (JSON.stringify(spec.metadata).length > TASK_LIMITS.metadataBytes) {
    throw AppError.invalidArgument(
      at("metadata"),
      `${at("metadata")} must be at most ${TASK_LIMITS.metadataBytes} bytes of JSON`,
    );
  }
  if (spec.action?.kind === "command") validateCommand(spec.action, at("action.command"));
  if (spec.action?.kind === "integration") validateIntegration(spec.action, at("action"));
  return { ...spec, title, requiredCapabilities: normalizeCapabilities(spec.requiredCapabilities) };
}

/** An action's own deadline: null (the default) or 1 ms to a day. */
function checkTimeout(timeoutMs: number | null, field: string): void {
  if (timeoutMs !== null && (timeoutMs < 1 || timeoutMs > TASK_LIMITS.commandTimeoutMs)) {
    throw AppError.invalidArgument(
      field,
      `${field} must be from 1 to ${TASK_LIMITS.commandTimeoutMs}`,
    );
  }
}

const NAME = /^[a-z][a-z0-9_-]*$/;
const OPERATION = /^[a-z][a-z0-9_.]*$/;

/**
 * Only the shape: which integrations and operations exist, and what their parameters must be,
 * is the integration service's to say (when the task runs, or at once over REST).
 */
function validateIntegration(
  action: Extract<TaskAction, { kind: "integration" }>,
  field: string,
): void {
  if (!NAME.test(action.integration))
    throw AppError.invalidArgument(
      `${field}.integration`,
      `${field}.integration must name an integration (lower case letters, digits, _ or -)`,
    );
  if (action.service !== null && !NAME.test(action.service))
    throw AppError.invalidArgument(
      `${field}.service`,
      `${field}.service must be lower case letters, digits, _ or -`,
    );
  if (!OPERATION.test(action.operation))
    throw AppError.invalidArgument(
      `${field}.operation`,
      `${field}.operation must name an operation in lower snake case`,
    );
  if (JSON.stringify(action.parameters).length > TASK_LIMITS.integrationParametersBytes)
    throw AppError.invalidArgument(
      `${field}.parameters`,
      `${field}.parameters must be at most ${TASK_LIMITS.integrationParametersBytes} bytes of JSON`,
    );
  checkTimeout(action.timeoutMs, `${field}.timeout_ms`);
}

function validateCommand(action: Extract<TaskAction, { kind: "command" }>, field: string): void {
  if (action.argv.length === 0)
    throw AppError.invalidArgument(
      `${field}.argv`,
      `${field}.argv must name a program: it is empty`,
    );
  checkMaxEntries(action.argv.length, `${field}.argv`, TASK_LIMITS.argv);
  if ((action.argv[0] ?? "").length === 0)
    throw AppError.invalidArgument(`${field}.argv[0]`, `${field}.argv[0] must name a program`);
  action.argv.forEach((arg, i) => {
    if (arg.length > TASK_LIMITS.argLength || arg.includes("\0")) {
      throw AppError.invalidArgument(
        `${field}.argv[${i}]`,
        `${field}.argv[${i}] must be at most ${TASK_LIMITS.argLength} characters with no NUL`,
      );
    }
  });
  const env = Object.entries(action.env);
  checkMaxEntries(env.length, `${field}.env`, TASK_LIMITS.envEntries);
  for (const [key, value] of env) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw AppError.invalidArgument(
        `${field}.env`,
        `${field}.env key ${JSON.stringify(key)} is not a valid variable name`,
      );
    }
    if (value.includes("\0"))
      throw AppError.invalidArgument(
        `${field}.env.${key}`,
        `${field}.env.${key} must not contain NUL`,
      );
  }
  checkTimeout(action.timeoutMs, `${field}.timeout_ms`);
}
