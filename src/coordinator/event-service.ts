import type { ServerWritableStream } from "@grpc/grpc-js";
import { eventTopicFromWire, streamEventToWire } from "../contract/index.js";
import { AppError, type EventTopic } from "../domain/index.js";
import type { Event, EventServiceServer, WatchEventsRequest } from "../gen/mcp/v1/events.js";
import type { Logger } from "../observability/index.js";
import { toGrpcStatus } from "../rpc/index.js";
import type { EventBus } from "./event-bus.js";
import type { EventFilter, EventSink } from "./event-subscription.js";

type WatchCall = ServerWritableStream<WatchEventsRequest, Event>;

const MAX_ID_LENGTH = 200;

/**
 * Messages a Watch call may hold in its write buffer before its sink reports full. grpc-js
 * says "full" at 16, less than one ordinary burst (a batch of tasks created at once), which
 * would send every burst through the bus queue and make a reader that keeps up look slow.
 */
export const WATCH_BUFFER_MESSAGES = 256;

/**
 * EventService over gRPC: each Watch call is one subscriber of the bus. The call's own flow
 * control is the sink's: when `write` returns false (the client reads slowly), the bus holds
 * events for it until the call drains.
 */
export function createEventService(bus: EventBus, logger: Logger): EventServiceServer {
  return {
    watch: (call: WatchCall) => {
      let filter: EventFilter;
      try {
        filter = filterFromWire(call.request);
      } catch (error) {
        call.emit("error", toGrpcStatus(error));
        return;
      }
      const peer = call.getPeer();
      const unsubscribe = bus.subscribe(filter, callSink(call, logger, peer));
      call.on("cancelled", unsubscribe);
      call.on("close", unsubscribe);
      logger.debug({ peer, topics: filter.topics }, "event watcher subscribed");
    },
  };
}

function callSink(call: WatchCall, logger: Logger, peer: string): EventSink {
  return {
    write: (event) => {
      call.write(streamEventToWire(event));
      return call.writableLength < WATCH_BUFFER_MESSAGES;
    },
    // The call's own "drain" comes once its buffer is empty: it was past grpc-js's mark of 16.
    onDrain: (resume) => call.once("drain", resume),
    close: (reason) => {
      if (reason.code === "resource_exhausted")
        logger.warn({ peer, err: reason.message }, "event watcher too slow; disconnected");
      // The status follows the events already written; a client that reads gets it last.
      call.emit("error", toGrpcStatus(reason));
    },
  };
}

/** The request's filter; unknown topics and overlong ids are refused, naming the field. */
export function filterFromWire(request: WatchEventsRequest): EventFilter {
  const topics = new Set<EventTopic>(
    request.topics.map((topic, i) => eventTopicFromWire(topic, `topics[${i}]`)),
  );
  return {
    topics: [...topics],
    projectId: optionalId(request.projectId, "project_id"),
    taskId: optionalId(request.taskId, "task_id"),
    agentId: optionalId(request.agentId, "agent_id"),
  };
}

function optionalId(value: string, field: string): string | null {
  if (value === "") return null;
  if (value.length > MAX_ID_LENGTH)
    throw AppError.invalidArgument(field, `${field} must be at most ${MAX_ID_LENGTH} characters`);
  return value;
}
