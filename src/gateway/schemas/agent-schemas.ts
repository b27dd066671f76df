import { type Static, Type } from "@sinclair/typebox";
import { AgentStateSchema, AgentTypeSchema } from "./enum-schemas.js";
import { IsoTime, ref } from "./schema-helpers.js";
import { MAX_PARAM_LENGTH } from "./task-schemas.js";

export const ListAgentsQuerySchema = Type.Object(
  { type: Type.Optional(AgentTypeSchema) },
  { additionalProperties: false },
);

/** An agent as the API reports it. */
export const AgentJsonSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    type: AgentTypeSchema,
    capabilities: Type.Array(Type.String()),
    executors: Type.Array(Type.String(), {
      description: 'Kinds of work it executes: "command", "noop", "freeform".',
    }),
    max_concurrency: Type.Integer(),
    active_tasks: Type.Integer({ description: "How many tasks it holds now." }),
    active_task_ids: Type.Array(Type.String()),
    state: AgentStateSchema,
    transport: Type.String({
      description: '"stream" (an agent process) or "pull" (an external worker).',
    }),
    address: Type.String({
      description: "host:port of its AgentService; empty when it serves none.",
    }),
    host: Type.String(),
    pid: Type.Integer(),
    registered_at: IsoTime("When it registered."),
    last_seen_at: IsoTime("Its last heartbeat or report."),
    completed_count: Type.Integer(),
    failed_count: Type.Integer(),
  },
  { $id: "Agent", additionalProperties: false },
);
export type AgentJson = Static<typeof AgentJsonSchema>;

export const AgentListJsonSchema = Type.Object(
  { agents: Type.Array(ref(AgentJsonSchema)) },
  { additionalProperties: false },
);

/** A path's {agent_id}. */
export const AgentIdParamsSchema = Type.Object(
  { agent_id: Type.String({ minLength: 1, maxLength: MAX_PARAM_LENGTH }) },
  { additionalProperties: false },
);
