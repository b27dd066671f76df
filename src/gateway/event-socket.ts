import type { ClientReadableStream } from "@grpc/grpc-js";
import type { FastifyBaseLogger } from "fastify";
import type { WebSocket } from "ws";
import { AppError } from "../domain/index.js";
import type { Event, WatchEventsRequest } from "../gen/mcp/v1/events.js";
import { fromGrpcError } from "../rpc/index.js";
import { upstreamError } from "./named-upstream.js";
import { eventToJson } from "./serializers/event-json.js";
import type { Upstreams } from "./upstreams.js";

export interface EventSocketOptions {
  /** How long the coordinator may take to start the stream. */
  timeoutMs: number;
  /** How long the socket may stay too full to take events before it is closed (1013). */
  stallTimeoutMs: number;
  log: FastifyBaseLogger;
  /** Aborted when the client's connection closes: the Watch call ends with it. */
  signal: AbortSignal;
  /** Called once when the stream ends, whoever ended it. */
  onFinished?: (socket: EventSocket) => void;
}

/** WebSocket close codes (RFC 6455 section 7.4.1 and the IANA registry). */
export const CLOSE_CODES = {
  goingAway: 1001,
  internalError: 1011,
  serviceRestart: 1012,
  tryAgainLater: 1013,
} as const;

/** Unsent bytes on a socket above which its Watch call is paused (the coordinator holds events). */
export const SOCKET_HIGH_WATER_BYTES = 1024 * 1024;
/** ... and below which it is resumed. */
export const SOCKET_LOW_WATER_BYTES = 256 * 1024;
/** Keeps proxies from closing a quiet socket; the client's WebSocket answers by itself. */
const PING_INTERVAL_MS = 30_000;
/** How long a client has to answer our close frame before its socket is dropped. */
const CLOSE_GRACE_MS = 1_000;
/** Longest close reason a close frame can carry (bytes). */
const MAX_CLOSE_REASON_BYTES = 123;

/**
 * One WebSocket client's live event stream: the coordinator Watch call behind it and the
 * socket in front. Opened before the HTTP upgrade, so that an unreachable coordinator or a
 * refused filter is an ordinary HTTP error; attached to the socket once upgraded.
 *
 * Backpressure runs end to end: when the client reads slowly, unsent bytes pile up on the
 * socket; past {@link SOCKET_HIGH_WATER_BYTES} the Watch call is paused, HTTP/2 flow control
 * stops the coordinator's writes, and the coordinator's bus holds (then drops, then counts)
 * that client's events. A socket that stays full for `stallTimeoutMs` is closed with 1013.
 */
export class EventSocket {
  private socket: WebSocket | null = null;
  /** Set when the call failed before the socket was attached. */
  private failure: AppError | null = null;
  private unsentBytes = 0;
  private paused = false;
  private stallTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private finished = false;

  private constructor(
    private readonly call: ClientReadableStream<Event>,
    private readonly first: Event,
    private readonly upstreams: Upstreams,
    private readonly options: EventSocketOptions,
  ) {
    call.on("error", (error: unknown) => this.onCallError(error));
    call.on("end", () => this.onCallError(new AppError("internal", "the event stream ended")));
    options.signal.addEventListener("abort", this.cancel, { once: true });
  }

  /**
   * Starts a Watch call and waits (up to `timeoutMs`) for its first event, the coordinator's
   * "subscribed" notice: from then on the subscription is live. Rejects with the coordinator's
   * error (a refused filter) or with unavailable naming the coordinator's address.
   */
  static open(
    upstreams: Upstreams,
    request: WatchEventsRequest,
    options: EventSocketOptions,
  ): Promise<EventSocket> {
    const call = upstreams.events.watch(request);
    return new Promise((resolve, reject) => {
      const fail = (error: unknown) => {
        cleanup();
        call.cancel();
        reject(upstreamError(fromGrpcError(error), "coordinator", upstreams.coordinatorAddress));
      };
      const onData = (event: Event) => {
        cleanup();
        call.pause();
        resolve(new EventSocket(call, event, upstreams, options));
      };
      const onAbort = () => fail(new AppError("cancelled", "the client went away"));
      const onEnd = () => fail(new AppError("unavailable", "the event stream ended at once"));
      const timer = setTimeout(
        () =>
          fail(
            new AppError(
              "deadline_exceeded",
              `the event stream did not start within ${options.timeoutMs} ms`,
            ),
          ),
        options.timeoutMs,
      );
      const cleanup = () => {
        clearTimeout(timer);
        call.off("data", onData);
        call.off("error", fail);
        call.off("end", onEnd);
        options.signal.removeEventListener("abort", onAbort);
      };
      call.on("data", onData);
      call.on("error", fail);
      call.on("end", onEnd);
      if (options.signal.aborted) onAbort();
      else options.signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Starts forwarding to the upgraded `socket`. */
  attach(socket: WebSocket): void {
    this.socket = socket;
    socket.on("close", this.cancel);
    if (this.finished) {
      socket.terminate();
      return;
    }
    if (this.failure !== null) {
      this.closeFor(this.failure);
      return;
    }
    this.pingTimer = setInterval(() => socket.ping(), PING_INTERVAL_MS);
    this.pingTimer.unref();
    this.send(this.first);
    this.call.on("data", (event: Event) => this.send(event));
    this.call.resume();
  }

  /** Closes the socket with 1001: the gateway is stopping. */
  goAway(): void {
    this.close(CLOSE_CODES.goingAway, "the gateway is shutting down");
  }

  /** Ends the Watch call (the client went away, before or after the upgrade). */
  readonly cancel = (): void => this.finish();

  private send(event: Event): void {
    const socket = this.socket;
    if (socket === null || this.finished) return;
    let text: string;
    try {
      text = JSON.stringify(eventToJson(event));
    } catch (error) {
      this.closeFor(AppError.from(error));
      return;
    }
    const bytes = Buffer.byteLength(text);
    this.unsentBytes += bytes;
    socket.send(text, () => {
      this.unsentBytes -= bytes;
      if (this.paused && this.unsentBytes <= SOCKET_LOW_WATER_BYTES) this.resume();
    });
    if (!this.paused && this.unsentBytes > SOCKET_HIGH_WATER_BYTES) this.pause();
  }

  private pause(): void {
    this.paused = true;
    this.call.pause();
    const { stallTimeoutMs } = this.options;
    this.stallTimer = setTimeout(() => {
      this.options.log.warn(
        { unsent_bytes: this.unsentBytes, stall_timeout_ms: stallTimeoutMs },
        "event socket too slow; closing it",
      );
      this.close(
        CLOSE_CODES.tryAgainLater,
        `too slow: nothing read for ${stallTimeoutMs} ms; reconnect`,
      );
    }, stallTimeoutMs);
    this.stallTimer.unref();
  }

  private resume(): void {
    this.paused = false;
    if (this.stallTimer !== null) clearTimeout(this.stallTimer);
    this.stallTimer = null;
    if (!this.finished) this.call.resume();
  }

  private onCallError(error: unknown): void {
    if (this.finished) return;
    const appError = upstreamError(
      fromGrpcError(error),
      "coordinator",
      this.upstreams.coordinatorAddress,
    );
    if (this.socket === null) this.failure ??= appError;
    else this.closeFor(appError);
  }

  /** Closes the socket with the code that tells the client what to do about `error`. */
  private closeFor(error: AppError): void {
    const { code, reason } = closeFrameFor(error);
    if (code !== CLOSE_CODES.serviceRestart)
      this.options.log.warn({ code, err: error.message }, reason);
    this.close(code, reason);
  }

  private close(code: number, reason: string): void {
    const socket = this.socket;
    this.finish();
    if (socket === null) return;
    socket.close(code, closeReason(reason));
    // A client that does not answer the close frame (it stopped reading) is dropped.
    setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.stallTimer !== null) clearTimeout(this.stallTimer);
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.options.signal.removeEventListener("abort", this.cancel);
    this.call.cancel();
    this.options.onFinished?.(this);
  }
}

/**
 * The close frame for a Watch call that ended with `error`: 1012 (service restart) when the
 * coordinator went away, 1013 (try again later) when the client read too slowly, 1011
 * otherwise. Clients reconnect on all three; the reason says why.
 */
export function closeFrameFor(error: AppError): { code: number; reason: string } {
  switch (error.code) {
    case "unavailable":
      return {
        code: CLOSE_CODES.serviceRestart,
        reason: `the coordinator went away; reconnect: ${error.message}`,
      };
    case "resource_exhausted":
      return { code: CLOSE_CODES.tryAgainLater, reason: `too slow: ${error.message}` };
    default:
      return { code: CLOSE_CODES.internalError, reason: error.message };
  }
}

/** `text` cut to what a close frame can carry, on a character boundary. */
export function closeReason(text: string): string {
  if (Buffer.byteLength(text) <= MAX_CLOSE_REASON_BYTES) return text;
  let cut = text.slice(0, MAX_CLOSE_REASON_BYTES);
  while (Buffer.byteLength(cut) > MAX_CLOSE_REASON_BYTES - 3) cut = cut.slice(0, -1);
  return `${cut}...`;
}
