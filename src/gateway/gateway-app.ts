import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyInstance, RawServerDefault } from "fastify";
import type { Logger } from "../observability/index.js";
import type { GatewayMetrics } from "./gateway-metrics.js";
import type { TypeBoxProvider } from "./type-provider.js";
import type { Upstreams } from "./upstreams.js";

/** The gateway's Fastify instance, its handlers typed from their TypeBox schemas. */
export type GatewayApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  Logger,
  TypeBoxProvider
>;

/** What route handlers use. The gateway keeps no state: everything comes from `upstreams`. */
export interface RouteContext {
  upstreams: Upstreams;
  metrics: GatewayMetrics;
  /** The gateway's version. */
  version: string;
  /** When the gateway started (ms since the epoch). */
  startedAt: number;
  /** Deadline of a coordinator call. */
  requestTimeoutMs: number;
  /** How long an event socket may stay too full to take events before it is closed. */
  eventStallTimeoutMs: number;
  /** Aborted when the gateway starts closing: long polls end then instead of holding it open. */
  shutdown: AbortSignal;
}
