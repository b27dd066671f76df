import { type Static, Type } from "@sinclair/typebox";
import { TASK_LIMITS } from "../../domain/index.js";
import { AgentJsonSchema } from "./agent-schemas.js";
import { AgentTypeSchema, ErrorCodeSchema, ExecutorKindSchema } from "./enum-schemas.js";
import { IsoTime, ref } from "./schema-helpers.js";
import { TaskJsonSchema } from "./task-schemas.js";

/** The longest a claim may wait for work. */
export const MAX_CLAIM_WAIT_MS = 30_000;

export const RegisterWorkerBodySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    type: AgentTypeSchema,
    capabilities: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: TASK_LIMITS.capabilityLength }), {
        maxItems: TASK_LIMITS.capabilities,
      }),
    ),
    executors: Type.Optional(
      Type.Array(ExecutorKindSchema, { minItems: 1, uniqueItems: true, default: ["freeform"] }),
    ),
    max_concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000, default: 1 })),
    agent_id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: "A stable id to re-register under; default a new one.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type RegisterWorkerBody = Static<typeof RegisterWorkerBodySchema>;

export const RegisteredWorkerJsonSchema = Type.Object(
  {
    agent: ref(AgentJsonSchema),
    lease_ttl_ms: Type.Integer({
      description: "A lease lapses unless renewed by a heartbeat within this time.",
    }),
  },
  { additionalProperties: false },
);

export const ReleasedTasksJsonSchema = Type.Object(
  {
    released_task_ids: Type.Array(Type.String(), {
      description: "Tasks handed back for others to take.",
    }),
  },
  { additionalProperties: false },
);

export const LeaseJsonSchema = Type.Object(
  {
    task_id: Type.String(),
    attempt: Type.Integer(),
    token: Type.String({
      description: "Send it as lease_token with progress, completion and failure.",
    }),
    expires_at: IsoTime("When the lease lapses unless renewed."),
  },
  { $id: "Lease", additionalProperties: false, description: "A claim on a task for one attempt." },
);
export type LeaseJson = Static<typeof LeaseJsonSchema>;

export const HeartbeatJsonSchema = Type.Object(
  { leases: Type.Array(ref(LeaseJsonSchema), { description: "Leases renewed." }) },
  { additionalProperties: false },
);

export const ClaimBodySchema = Type.Object(
  {
    wait_ms: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_CLAIM_WAIT_MS,
        default: 0,
        description: "Wait this long for a task (long poll).",
      }),
    ),
  },
  { additionalProperties: false },
);

export const ClaimJsonSchema = Type.Object(
  { task: ref(TaskJsonSchema), lease: ref(LeaseJsonSchema) },
  { additionalProperties: false },
);

export const ProgressBodySchema = Type.Object(
  {
    lease_token: Type.String({ minLength: 1, maxLength: 200 }),
    percent: Type.Integer({ minimum: 0, maximum: 100 }),
    message: Type.Optional(Type.String({ maxLength: 2_000 })),
  },
  { additionalProperties: false },
);

export const LeaseReplyJsonSchema = Type.Object(
  { lease: ref(LeaseJsonSchema) },
  { additionalProperties: false },
);

export const CompleteBodySchema = Type.Object(
  {
    lease_token: Type.String({ minLength: 1, maxLength: 200 }),
    output: Type.Optional(Type.Unknown({ description: "Any JSON value: what the work produced." })),
  },
  { additionalProperties: false },
);

export const FailBodySchema = Type.Object(
  {
    lease_token: Type.String({ minLength: 1, maxLength: 200 }),
    message: Type.String({ minLength: 1, maxLength: 10_000 }),
    code: Type.Optional(ErrorCodeSchema),
    retryable: Type.Optional(
      Type.Boolean({ default: true, description: "Whether another attempt may succeed." }),
    ),
  },
  { additionalProperties: false },
);
