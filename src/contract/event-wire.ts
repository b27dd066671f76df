import {
  AppError,
  EVENT_TOPICS,
  type EventTopic,
  isEventTopic,
  type StreamEvent,
} from "../domain/index.js";
import type { EventTopic as WireEventTopic, Event as WireEvent } from "../gen/mcp/v1/events.js";
import { streamTopicFromWire, streamTopicToWire } from "./enum-maps.js";

/** An event or notice as EventService.Watch sends it; null ids travel as "". */
export function streamEventToWire(event: StreamEvent): WireEvent {
  return {
    seq: event.seq,
    topic: streamTopicToWire(event.topic),
    type: event.type,
    atMs: event.at,
    projectId: event.projectId ?? "",
    taskId: event.taskId ?? "",
    agentId: event.agentId ?? "",
    dataJson: JSON.stringify(event.data),
  };
}

export function eventTopicToWire(topic: EventTopic): WireEventTopic {
  return streamTopicToWire(topic);
}

/** A topic a watcher asks for; SYSTEM (always sent), UNSPECIFIED and unknown numbers are refused naming `field`. */
export function eventTopicFromWire(value: WireEventTopic, field: string): EventTopic {
  const topic = streamTopicFromWire(value);
  if (!isEventTopic(topic)) {
    throw AppError.invalidArgument(
      field,
      `${field} must be one of ${EVENT_TOPICS.join(", ")} (got ${value})`,
    );
  }
  return topic;
}
