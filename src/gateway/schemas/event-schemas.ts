import { type Static, Type } from "@sinclair/typebox";
import { EVENT_TOPICS, STREAM_TOPICS } from "../../domain/index.js";
import { IsoTime, JsonObjectSchema, nullable, stringEnum } from "./schema-helpers.js";

const optionalId = (description: string) =>
  Type.Optional(Type.String({ minLength: 1, maxLength: 200, description }));

/** Query of GET /api/v1/events: which events the socket receives. */
export const EventsQuerySchema = Type.Object(
  {
    topics: Type.Optional(
      Type.String({
        maxLength: 200,
        description: `Comma-separated topics: ${EVENT_TOPICS.join(", ")}. Absent: all.`,
      }),
    ),
    project_id: optionalId("Only events of this project."),
    task_id: optionalId("Only events of this task."),
    agent_id: optionalId("Only events of this agent (its own, and its tasks' transitions)."),
  },
  { additionalProperties: false },
);
export type EventsQuery = Static<typeof EventsQuerySchema>;

/** One WebSocket text message of the event stream. */
export const EventJsonSchema = Type.Object(
  {
    seq: Type.Integer({
      description:
        "Increases with every event the coordinator publishes; starts again when it restarts.",
    }),
    topic: stringEnum(STREAM_TOPICS, {
      description: "`system` for the stream's own notices (`subscribed`, `lagged`).",
    }),
    type: Type.String({
      description:
        "task.transition, agent.registered, agent.online, agent.draining, agent.offline; subscribed, lagged.",
    }),
    at: IsoTime("When it happened."),
    project_id: nullable(Type.String()),
    task_id: nullable(Type.String()),
    agent_id: nullable(Type.String()),
    data: JsonObjectSchema(
      "The facts: for task.transition from, to, reason, actor, attempt, title, task_type, priority; " +
        "for agent events name, agent_type, state, transport, load, max_concurrency; " +
        "for lagged, dropped (events lost because the client read too slowly).",
    ),
  },
  {
    $id: "Event",
    additionalProperties: false,
    description: "A live event, sent as one WebSocket text message.",
  },
);
export type EventJson = Static<typeof EventJsonSchema>;
