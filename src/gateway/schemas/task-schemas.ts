import { type Static, Type } from "@sinclair/typebox";
import { TASK_LIMITS, TASK_STATUSES } from "../../domain/index.js";
import {
  AgentTypeSchema,
  ErrorCodeSchema,
  PrioritySchema,
  TaskStatusSchema,
} from "./enum-schemas.js";
import {
  discriminatedUnion,
  IsoTime,
  JsonObjectSchema,
  nullable,
  NullableIsoTime,
  ref,
} from "./schema-helpers.js";

const EnvSchema = Type.Record(Type.String({ pattern: "^[A-Za-z_][A-Za-z0-9_]*$" }), Type.String(), {
  // A key outside the pattern is "additional": refused, not ignored.
  additionalProperties: false,
  maxProperties: TASK_LIMITS.envEntries,
  description: "Added to the agent's environment.",
});

/** What a client may ask a task to do; absent means free-form work. */
export const TaskActionInputSchema = discriminatedUnion(
  "kind",
  [
    Type.Object(
      {
        kind: Type.Literal("command"),
        argv: Type.Array(Type.String({ maxLength: TASK_LIMITS.argLength }), {
          minItems: 1,
          maxItems: TASK_LIMITS.argv,
          description: "argv[0] is looked up on PATH; no shell is involved.",
        }),
        cwd: Type.Optional(
          Type.String({ minLength: 1, description: "Working directory; default the agent's own." }),
        ),
        env: Type.Optional(EnvSchema),
        timeout_ms: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: TASK_LIMITS.commandTimeoutMs,
            description: "Default the agent's.",
          }),
        ),
      },
      { additionalProperties: false, description: "Runs a program." },
    ),
    Type.Object(
      { kind: Type.Literal("noop") },
      { additionalProperties: false, description: "Completes as soon as it runs (a milestone)." },
    ),
    Type.Object(
      {
        kind: Type.Literal("integration"),
        integration: Type.String({
          pattern: "^[a-z][a-z0-9_-]*$",
          description: 'e.g. "slack", "jenkins" (GET /api/v1/integrations lists them).',
        }),
        service: Type.Optional(
          Type.String({ pattern: "^[a-z][a-z0-9_-]*$", description: "AWS: ec2, s3 or lambda." }),
        ),
        operation: Type.String({
          pattern: "^[a-z][a-z0-9_.]*$",
          description: 'e.g. "send_message", "trigger_build".',
        }),
        parameters: Type.Optional(
          Type.Record(Type.String(), Type.Unknown(), {
            description: "The operation's parameters.",
          }),
        ),
        timeout_ms: Type.Optional(
          Type.Integer({
            minimum: 1,
            maximum: TASK_LIMITS.commandTimeoutMs,
            description: "Default the integration service's.",
          }),
        ),
      },
      {
        additionalProperties: false,
        description:
          "Calls an operation of the integration service, run by the integration agent; the result is the operation's.",
      },
    ),
  ],
  { description: "What an executor does; absent means free-form work done by a person or script." },
);

const taskSpecProperties = {
  title: Type.String({ minLength: 1, maxLength: TASK_LIMITS.titleLength }),
  description: Type.Optional(Type.String({ maxLength: TASK_LIMITS.descriptionLength })),
  type: Type.Optional(
    nullable(AgentTypeSchema, {
      description: "The agent type required; absent or null means any.",
    }),
  ),
  priority: Type.Optional(PrioritySchema),
  dependencies: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
      maxItems: TASK_LIMITS.dependencies,
      uniqueItems: true,
      description: "Ids of tasks that must complete first (in a batch, also refs of its tasks).",
    }),
  ),
  required_capabilities: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: TASK_LIMITS.capabilityLength }), {
      maxItems: TASK_LIMITS.capabilities,
    }),
  ),
  action: Type.Optional(TaskActionInputSchema),
  metadata: Type.Optional(JsonObjectSchema("Any JSON object, kept with the task.")),
  project_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  parent_task_id: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        "Makes this a subtask of an unfinished task: the parent completes only after its subtasks (and fails if one fails).",
    }),
  ),
  max_attempts: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: TASK_LIMITS.maxAttempts,
      description: "Default the coordinator's.",
    }),
  ),
};

/** Body of POST /api/v1/tasks. */
export const CreateTaskBodySchema = Type.Object(taskSpecProperties, {
  additionalProperties: false,
});
export type CreateTaskBody = Static<typeof CreateTaskBodySchema>;

/** One task of a batch: the same fields plus a ref others in the batch may depend on. */
export const BatchTaskSchema = Type.Object(
  {
    ...taskSpecProperties,
    ref: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: TASK_LIMITS.refLength,
        description: "A name for this task within the batch.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type BatchTask = Static<typeof BatchTaskSchema>;

export const CreateTaskBatchBodySchema = Type.Object(
  { tasks: Type.Array(BatchTaskSchema, { minItems: 1, maxItems: TASK_LIMITS.tasksPerRequest }) },
  { additionalProperties: false },
);

export const CancelTaskBodySchema = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 2_000 })) },
  { additionalProperties: false },
);

export const ListTasksQuerySchema = Type.Object(
  {
    status: Type.Optional(
      Type.String({
        maxLength: 200,
        description: `Comma-separated statuses: ${TASK_STATUSES.join(", ")}.`,
      }),
    ),
    type: Type.Optional(AgentTypeSchema),
    agent_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    project_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1_000,
        description: "next_cursor of the previous page.",
      }),
    ),
  },
  { additionalProperties: false },
);

/** Longest id in a path (ids are far shorter); the router refuses longer parameters. */
export const MAX_PARAM_LENGTH = 200;

/** A path's {id}. */
export const IdParamsSchema = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: MAX_PARAM_LENGTH }) },
  { additionalProperties: false },
);

const TaskActionJsonSchema = Type.Union([
  Type.Object(
    {
      kind: Type.Literal("command"),
      argv: Type.Array(Type.String()),
      cwd: nullable(Type.String()),
      env: Type.Record(Type.String(), Type.String()),
      timeout_ms: nullable(Type.Integer()),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal("noop") }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal("integration"),
      integration: Type.String(),
      service: nullable(Type.String()),
      operation: Type.String(),
      parameters: Type.Record(Type.String(), Type.Unknown()),
      timeout_ms: nullable(Type.Integer()),
    },
    { additionalProperties: false },
  ),
]);

/** A task as the API reports it. */
export const TaskJsonSchema = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    description: Type.String(),
    type: nullable(AgentTypeSchema, { description: "Null means any type with the capabilities." }),
    priority: PrioritySchema,
    status: TaskStatusSchema,
    status_reason: Type.String({ description: "Why the task is in its status." }),
    waiting_for: nullable(Type.String(), {
      description: "What a pending or blocked task waits for; null otherwise.",
    }),
    dependencies: Type.Array(Type.String()),
    required_capabilities: Type.Array(Type.String()),
    action: nullable(TaskActionJsonSchema, { description: "Null for free-form work." }),
    metadata: JsonObjectSchema("As submitted."),
    project_id: nullable(Type.String()),
    parent_task_id: nullable(Type.String(), { description: "The task this one is a subtask of." }),
    attempt: Type.Integer({ description: "Fencing token: grows by one with every assignment." }),
    max_attempts: Type.Integer(),
    failed_attempts: Type.Integer(),
    agent_id: nullable(Type.String()),
    result: nullable(
      Type.Object(
        {
          output: Type.Unknown({ description: "Any JSON value the executor produced." }),
          error: nullable(
            Type.Object(
              { code: ErrorCodeSchema, message: Type.String(), retryable: Type.Boolean() },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    progress: nullable(
      Type.Object(
        {
          percent: Type.Integer({ minimum: 0, maximum: 100 }),
          message: Type.String(),
          updated_at: IsoTime("When reported."),
        },
        { additionalProperties: false },
      ),
    ),
    created_at: IsoTime("When submitted."),
    updated_at: IsoTime("Last change."),
    started_at: NullableIsoTime("When the current or last attempt started."),
    finished_at: NullableIsoTime("When it reached a terminal status."),
    not_before: NullableIsoTime("Not assigned before this time (retry backoff)."),
    lease_expires_at: NullableIsoTime("When the current assignment lapses without a heartbeat."),
  },
  { $id: "Task", additionalProperties: false },
);
export type TaskJson = Static<typeof TaskJsonSchema>;

export const TaskEventJsonSchema = Type.Object(
  {
    at: IsoTime("When it happened."),
    from: nullable(TaskStatusSchema, { description: "Null for the creation event." }),
    to: TaskStatusSchema,
    actor: Type.String({ description: '"client", "coordinator", or an agent id.' }),
    reason: Type.String(),
    attempt: Type.Integer(),
    details: nullable(JsonObjectSchema("E.g. the routing explanation of an assignment.")),
  },
  { additionalProperties: false },
);
export type TaskEventJson = Static<typeof TaskEventJsonSchema>;

/** A task with its history (GET /api/v1/tasks/{id}). */
export const TaskDetailJsonSchema = Type.Object(
  {
    ...TaskJsonSchema.properties,
    history: Type.Array(TaskEventJsonSchema, { description: "Every transition, oldest first." }),
  },
  { $id: "TaskDetail", additionalProperties: false, description: "A task with its history." },
);
export type TaskDetailJson = Static<typeof TaskDetailJsonSchema>;

export const TaskListJsonSchema = Type.Object(
  {
    tasks: Type.Array(ref(TaskJsonSchema)),
    next_cursor: nullable(Type.String(), {
      description: "Pass as cursor for the next page; null on the last.",
    }),
    total: Type.Integer({ description: "Tasks matching the filters, over all pages." }),
  },
  { additionalProperties: false },
);

export const TaskBatchJsonSchema = Type.Object(
  { tasks: Type.Array(ref(TaskJsonSchema)) },
  { additionalProperties: false },
);
