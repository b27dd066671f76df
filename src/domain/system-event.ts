import type { JsonObject } from "./json.js";

/** What a live event is about; a subscriber chooses the topics it receives. */
export const EVENT_TOPICS = ["task", "agent", "message", "knowledge"] as const;

export type EventTopic = (typeof EVENT_TOPICS)[number];

export function isEventTopic(value: unknown): value is EventTopic {
  return typeof value === "string" && (EVENT_TOPICS as readonly string[]).includes(value);
}

/**
 * One thing that happened, as the live event stream carries it. Events are not stored: the
 * store (a task's history, the agent list) is the durable record.
 */
export interface SystemEvent {
  /** Increases by one per event the coordinator process publishes; restarts with it. */
  seq: number;
  topic: EventTopic;
  /** What happened, e.g. "task.transition" or "agent.registered". */
  type: string;
  /** When it happened (ms since the epoch). */
  at: number;
  projectId: string | null;
  taskId: string | null;
  agentId: string | null;
  /** The facts, with snake_case keys as the REST API shows them. */
  data: JsonObject;
}

/** The topic of what the stream itself tells one subscriber; no filter holds it back. */
export const STREAM_NOTICE_TOPIC = "system";

/**
 * What the stream itself tells one subscriber: "subscribed" (it is live: every matching event
 * published after `seq` follows) or "lagged" (it read too slowly; `data.dropped` events that
 * matched its filter were lost).
 */
export interface StreamNotice {
  seq: number;
  topic: typeof STREAM_NOTICE_TOPIC;
  type: "subscribed" | "lagged";
  at: number;
  projectId: null;
  taskId: null;
  agentId: null;
  data: JsonObject;
}

/** Everything a subscriber receives. */
export type StreamEvent = SystemEvent | StreamNotice;

/** Every topic a subscriber may see, its own notices' included. */
export const STREAM_TOPICS = [...EVENT_TOPICS, STREAM_NOTICE_TOPIC] as const;

export type StreamTopic = (typeof STREAM_TOPICS)[number];
