import { eventTopicToWire, streamTopicFromWire } from "../../contract/index.js";
import {
  AppError,
  EVENT_TOPICS,
  type EventTopic,
  isEventTopic,
  isJsonObject,
} from "../../domain/index.js";
import type { Event, WatchEventsRequest } from "../../gen/mcp/v1/events.js";
import type { EventJson, EventsQuery } from "../schemas/event-schemas.js";
import { isoTime, stringOrNull } from "./time-json.js";

/** A coordinator event as the WebSocket message clients read. */
export function eventToJson(event: Event): EventJson {
  const topic = streamTopicFromWire(event.topic);
  if (topic === null)
    throw new AppError("internal", `the coordinator sent an event of unknown topic ${event.topic}`);
  const data: unknown = JSON.parse(event.dataJson || "{}");
  return {
    seq: event.seq,
    topic,
    type: event.type,
    at: isoTime(event.atMs),
    project_id: stringOrNull(event.projectId),
    task_id: stringOrNull(event.taskId),
    agent_id: stringOrNull(event.agentId),
    data: isJsonObject(data) ? data : {},
  };
}

/** `topics=task,agent`; an unknown topic is refused, naming it. */
export function eventTopicsFromQuery(text: string | undefined, field: string): EventTopic[] {
  if (text === undefined) return [];
  const topics = text
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
  for (const topic of topics) {
    if (!isEventTopic(topic)) {
      throw AppError.invalidArgument(
        field,
        `${field} must be a comma-separated list of ${EVENT_TOPICS.join(", ")}: ${JSON.stringify(topic)} is none of them`,
        { topic },
      );
    }
  }
  return [...new Set(topics)] as EventTopic[];
}

/** The Watch request a validated query asks for. */
export function watchRequestFromQuery(query: EventsQuery): WatchEventsRequest {
  return {
    topics: eventTopicsFromQuery(query.topics, "query.topics").map(eventTopicToWire),
    projectId: query.project_id ?? "",
    taskId: query.task_id ?? "",
    agentId: query.agent_id ?? "",
  };
}
