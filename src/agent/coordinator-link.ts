import type { ClientDuplexStream, ServiceError } from "@grpc/grpc-js";
import type {
  AgentFrame,
  AgentMessage,
  Assignment,
  CancelAssignment,
  CoordinatorFrame,
  FinishAck,
  MessageSent,
  Registered,
} from "../gen/mcp/v1/agent.js";
import type { Message } from "../gen/mcp/v1/hub.js";
import { CoordinatorServiceClient } from "../gen/mcp/v1/coordinator.js";
import type { Logger } from "../observability/index.js";
import { insecure, STREAM_CLIENT_OPTIONS } from "../rpc/index.js";
import { FrameOutbox } from "./frame-outbox.js";
import { ReconnectBackoff, type ReconnectBackoffOptions } from "./reconnect-backoff.js";

/** What the link asks of, and tells, the agent that owns it. */
export interface LinkHandler {
  /** The messages that open every session: Register first, then whatever must be re-sent. */
  greeting(): AgentMessage[];
  onRegistered(message: Registered): void;
  onAssignment(message: Assignment): void;
  onCancel(message: CancelAssignment): void;
  onFinishAck(message: FinishAck): void;
  onDelivery(message: Message): void;
  onMessageSent(message: MessageSent): void;
  /** The stream is gone; what was queued on it is lost. */
  onDisconnected(): void;
}

export interface CoordinatorLinkOptions {
  /** host:port of the coordinator. */
  address: string;
  handler: LinkHandler;
  logger: Logger;
  backoff?: ReconnectBackoffOptions;
}

type Stream = ClientDuplexStream<AgentFrame, CoordinatorFrame>;

/** Used when the coordinator's Registered leaves the interval unset. */
const FALLBACK_HEARTBEAT_MS = 5_000;

/**
 * The agent's one bidirectional stream to the coordinator, kept open for the life of the
 * agent: it dials, greets, heartbeats, hands incoming messages to the handler, and when the
 * stream ends or fails it dials again with backoff, forever until close(). Connection
 * changes are logged once per change, not once per failed attempt.
 */
export class CoordinatorLink {
  private readonly client: CoordinatorServiceClient;
  private readonly outbox = new FrameOutbox();
  private readonly backoff: ReconnectBackoff;
  private stream: Stream | null = null;
  private registered = false;
  private closed = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  /** Failed attempts since the link was last registered. */
  private failures = 0;
  private downSince: number | null = null;
  /** Resolves when the current stream has ended, whichever way. */
  private streamEnded: Promise<void> = Promise.resolve();
  private markStreamEnded: () => void = () => {};

  constructor(private readonly options: CoordinatorLinkOptions) {
    this.client = new CoordinatorServiceClient(options.address, insecure(), STREAM_CLIENT_OPTIONS);
    this.backoff = new ReconnectBackoff(options.backoff);
  }

  start(): void {
    this.dial();
  }

  /** True from the coordinator's Registered until the stream is lost. */
  get connected(): boolean {
    return this.registered;
  }

  /** Queues a message for the current stream; false (dropped) while there is none. */
  send(message: AgentMessage): boolean {
    return this.outbox.push(message);
  }

  /** Flushes what is queued, ends the stream, waits up to `timeoutMs` for the coordinator to end its side. */
  async close(timeoutMs = 2_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.retry !== null) clearTimeout(this.retry);
    this.stopHeartbeat();
    const stream = this.stream;
    if (stream !== null) {
      await this.outbox.whenEmpty(timeoutMs);
      const ended = this.streamEnded;
      if (this.stream === stream) {
        stream.end();
        const timer = setTimeout(() => stream.cancel(), timeoutMs);
        await ended;
        clearTimeout(timer);
      }
    }
    this.client.close();
  }

  private dial(): void {
    if (this.closed) return;
    const stream = this.client.connect();
    this.stream = stream;
    this.streamEnded = new Promise((resolve) => {
      this.markStreamEnded = resolve;
    });
    this.outbox.attach(stream);
    for (const message of this.options.handler.greeting()) this.outbox.push(message);
    stream.on("data", (frame: CoordinatorFrame) => this.receive(stream, frame));
    stream.on("error", (error: ServiceError) => this.lost(stream, error));
    stream.on("end", () => this.lost(stream, null));
    // "end" and "error" can both be missed when the call is cancelled locally; "status" is not.
    stream.on("status", () => this.lost(stream, null));
  }

  private receive(stream: Stream, frame: CoordinatorFrame): void {
    if (stream !== this.stream) return;
    const handler = this.options.handler;
    for (const message of frame.messages) {
      const kind = message.kind;
      try {
        switch (kind?.$case) {
          case "registered":
            this.onRegistered(kind.value);
            handler.onRegistered(kind.value);
            break;
          case "assignment":
            handler.onAssignment(kind.value);
            break;
          case "cancel":
            handler.onCancel(kind.value);
            break;
          case "finishAck":
            handler.onFinishAck(kind.value);
            break;
          case "delivery":
            handler.onDelivery(kind.value);
            break;
          case "messageSent":
            handler.onMessageSent(kind.value);
            break;
          case undefined:
            this.options.logger.warn("coordinator sent a message of no known kind; ignored");
            break;
        }
      } catch (error) {
        // One bad message must not cost the others in the frame.
        this.options.logger.error(
          { err: error, kind: kind?.$case },
          "handling a coordinator message failed",
        );
      }
    }
  }

  private onRegistered(message: Registered): void {
    const logger = this.options.logger;
    if (!this.registered) {
      const downMs = this.downSince === null ? 0 : Date.now() - this.downSince;
      logger.info(
        {
          coordinator: this.options.address,
          registeredAs: message.agentId,
          leaseTtlMs: message.leaseTtlMs,
          failedAttempts: this.failures,
          downMs,
        },
        "connected to coordinator",
      );
    }
    this.registered = true;
    this.failures = 0;
    this.downSince = null;
    this.backoff.reset();
    this.stopHeartbeat();
    const every =
      message.heartbeatIntervalMs > 0 ? message.heartbeatIntervalMs : FALLBACK_HEARTBEAT_MS;
    this.heartbeat = setInterval(
      () => this.outbox.push({ kind: { $case: "heartbeat", value: {} } }),
      every,
    );
  }

  private lost(stream: Stream, error: ServiceError | null): void {
    if (stream !== this.stream) return;
    this.stream = null;
    this.outbox.detach();
    this.stopHeartbeat();
    // Make sure grpc-js tears the call down whichever way it ended (a no-op once finished).
    stream.cancel();
    this.markStreamEnded();
    const wasRegistered = this.registered;
    this.registered = false;
    this.options.handler.onDisconnected();
    if (this.closed) return;
    const logger = this.options.logger;
    const reason =
      error === null ? "stream ended by the coordinator" : error.details || error.message;
    if (wasRegistered) {
      logger.warn(
        { coordinator: this.options.address, reason },
        "lost connection to coordinator; reconnecting",
      );
    } else if (this.failures === 0) {
      logger.warn(
        { coordinator: this.options.address, reason },
        "cannot reach coordinator; retrying until it answers",
      );
    } else {
      logger.debug(
        { coordinator: this.options.address, reason, failures: this.failures },
        "coordinator still unreachable",
      );
    }
    if (this.downSince === null) this.downSince = Date.now();
    this.failures += 1;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.dial();
    }, this.backoff.next());
  }

  private stopHeartbeat(): void {
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}
