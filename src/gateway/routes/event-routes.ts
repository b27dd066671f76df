import type { FastifyRequest } from "fastify";
import { Type } from "@sinclair/typebox";
import { AppError, EVENT_TOPICS } from "../../domain/index.js";
import { sendError } from "../error-reply.js";
import { EventSocket } from "../event-socket.js";
import type { GatewayApp, RouteContext } from "../gateway-app.js";
import { ERROR_RESPONSES } from "../schemas/error-schemas.js";
import { EventJsonSchema, EventsQuerySchema } from "../schemas/event-schemas.js";
import { watchRequestFromQuery } from "../serializers/event-json.js";

/** Upgrade Required: the answer to a plain GET of a WebSocket endpoint (RFC 9110 15.5.22). */
const UPGRADE_REQUIRED = 426;

const DESCRIPTION = [
  "**A WebSocket endpoint**: connect with `ws://host:8000/api/v1/events` (a plain GET is answered 426).",
  "Each text message is one event, shaped as the 101 response below. The first is a `system`",
  "`subscribed` notice: from then on every matching event comes, in order of `seq`.",
  "",
  `Filters: \`topics\` (comma-separated: ${EVENT_TOPICS.join(", ")}; absent: all), \`project_id\`,`,
  "`task_id`, `agent_id`; every filter that is set must match. A bad filter is refused before the",
  "upgrade with a 400 naming it; an unreachable coordinator with a 503.",
  "",
  "Events are live only: a client sees what happens while it is connected. After a reconnect, read",
  "the current state over the REST API. A client that reads too slowly gets a `lagged` notice",
  "counting the events it lost, or, stalled for long, a close with code 1013. When the coordinator",
  "goes away the socket closes with 1012; when the gateway stops, with 1001. Reconnect on all three.",
].join("\n");

/** The live event stream: GET /api/v1/events upgraded to a WebSocket. */
export function registerEventRoutes(app: GatewayApp, context: RouteContext): void {
  const { upstreams } = context;
  /** Streams opened before the upgrade, waiting for their socket. */
  const opened = new WeakMap<FastifyRequest, EventSocket>();
  /** Every stream not yet ended, told to close when the gateway stops. */
  const live = new Set<EventSocket>();
  context.shutdown.addEventListener(
    "abort",
    () => {
      for (const stream of [...live]) stream.goAway();
    },
    { once: true },
  );

  app.route({
    method: "GET",
    url: "/api/v1/events",
    schema: {
      tags: ["events"],
      summary: "Live events (WebSocket)",
      description: DESCRIPTION,
      querystring: EventsQuerySchema,
      response: {
        101: Type.Unsafe({
          ...Type.Ref(EventJsonSchema.$id as string),
          description: "Switching Protocols; then one text message per event, shaped so.",
        }),
        ...ERROR_RESPONSES,
      },
    },
    // Runs before the upgrade: a bad filter or an unreachable coordinator is an HTTP error.
    preHandler: async (request) => {
      const watchRequest = watchRequestFromQuery(request.query);
      if (!request.ws) return;
      // Gone before (or after) the upgrade: the Watch call ends with the connection.
      const gone = new AbortController();
      request.raw.socket.once("close", () => gone.abort());
      const stream = await EventSocket.open(upstreams, watchRequest, {
        timeoutMs: context.requestTimeoutMs,
        stallTimeoutMs: context.eventStallTimeoutMs,
        log: request.log,
        signal: gone.signal,
        onFinished: (s) => live.delete(s),
      });
      live.add(stream);
      opened.set(request, stream);
    },
    handler: async (_request, reply) => {
      void reply.header("upgrade", "websocket");
      return sendError(
        reply,
        UPGRADE_REQUIRED,
        AppError.invalidArgument(
          "headers.upgrade",
          "GET /api/v1/events is a WebSocket endpoint: send Connection: Upgrade and Upgrade: websocket",
        ),
      );
    },
    wsHandler: (socket, request) => {
      const stream = opened.get(request);
      opened.delete(request);
      if (stream === undefined) {
        socket.close(1011, "the event stream was not opened");
        return;
      }
      request.log.debug({ query: request.query }, "event socket opened");
      stream.attach(socket);
      if (context.shutdown.aborted) stream.goAway();
    },
  });
}
