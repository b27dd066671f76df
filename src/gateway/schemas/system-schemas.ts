import { IntegrationJsonSchema } from "./integration-schemas.js";
import { type Static, Type } from "@sinclair/typebox";
import { StatusCountsSchema } from "./project-schemas.js";
import { IsoTime, nullable, stringEnum } from "./schema-helpers.js";

export const HealthJsonSchema = Type.Object(
  {
    status: stringEnum(["ok", "unavailable"] as const),
    coordinator: stringEnum(["serving", "not_serving", "unreachable"] as const, {
      description: "What the coordinator's grpc.health.v1 says.",
    }),
    message: Type.Optional(Type.String({ description: "Why the gateway is unavailable." })),
  },
  { additionalProperties: false },
);
export type HealthJson = Static<typeof HealthJsonSchema>;

export const ProcessJsonSchema = Type.Object(
  {
    name: Type.String(),
    component: Type.String({
      description: "coordinator, integration, agent, gateway or orchestrator.",
    }),
    pid: Type.Integer(),
    port: Type.Integer(),
    state: Type.String({
      description: "starting, healthy, restarting, down, given_up, stopping or stopped.",
    }),
    started_at: nullable(Type.String({ format: "date-time" })),
    uptime_seconds: Type.Number(),
    restarts: Type.Integer(),
    cpu_percent: Type.Number(),
    rss_bytes: Type.Integer(),
    last_exit: Type.String({ description: 'How it last ended, e.g. "exit code 1".' }),
    message: Type.String(),
  },
  { additionalProperties: false },
);
export type ProcessJson = Static<typeof ProcessJsonSchema>;

export const CoordinatorStatusJsonSchema = Type.Object(
  {
    address: Type.String(),
    version: Type.String(),
    started_at: IsoTime("When the coordinator started."),
    task_counts: StatusCountsSchema,
    agents: Type.Object(
      { online: Type.Integer(), total: Type.Integer() },
      { additionalProperties: false },
    ),
    store: Type.String({ description: "Which store backs it." }),
    store_ok: Type.Boolean(),
    ready_queue_depth: Type.Integer({ description: "Tasks ready to be assigned." }),
    active_leases: Type.Integer({ description: "Tasks held by agents now." }),
  },
  { additionalProperties: false },
);
export type CoordinatorStatusJson = Static<typeof CoordinatorStatusJsonSchema>;

export const SystemStatusJsonSchema = Type.Object(
  {
    version: Type.String({ description: "The gateway's version." }),
    started_at: IsoTime("When the gateway started."),
    uptime_seconds: Type.Number({ description: "The gateway's uptime." }),
    coordinator: CoordinatorStatusJsonSchema,
    processes: Type.Optional(
      Type.Array(ProcessJsonSchema, {
        description: "From the orchestrator; absent when it is unreachable.",
      }),
    ),
    integrations: Type.Optional(
      Type.Array(IntegrationJsonSchema, {
        description: "From the integration service; absent when it is unreachable.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type SystemStatusJson = Static<typeof SystemStatusJsonSchema>;
