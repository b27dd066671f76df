import { WebSocket } from "ws";

/** A message of the event stream as the gateway sends it. */
export interface EventMessage {
  seq: number;
  topic: string;
  type: string;
  at: string;
  project_id: string | null;
  task_id: string | null;
  agent_id: string | null;
  data: Record<string, unknown>;
}

/** What an HTTP answer to the upgrade request said when it was not 101. */
export interface RefusedUpgrade {
  status: number;
  body: unknown;
}

/**
 * A WebSocket client of GET /api/v1/events, the way a dashboard would use it: every message
 * it receives, in order, and how the socket closed.
 */
export class EventSocketClient {
  readonly received: EventMessage[] = [];
  closed: { code: number; reason: string } | undefined;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data: Buffer) => {
      this.received.push(JSON.parse(data.toString("utf8")) as EventMessage);
      this.notify();
    });
    socket.on("close", (code: number, reason: Buffer) => {
      this.closed = { code, reason: reason.toString("utf8") };
      this.notify();
    });
  }

  /** Connects to `gatewayUrl` + `/api/v1/events?query` and waits for the subscribed notice. */
  static async connect(gatewayUrl: string, query = ""): Promise<EventSocketClient> {
    const socket = new WebSocket(`${gatewayUrl.replace(/^http/, "ws")}/api/v1/events${query}`);
    // Listening from the start: the first message may come in the same packet as the upgrade.
    const client = new EventSocketClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
      socket.once("unexpected-response", (_request, response) =>
        reject(new Error(`upgrade refused with HTTP ${response.statusCode}`)),
      );
    });
    await client.until((m) => m.length >= 1, "the subscribed notice");
    const first = client.received[0];
    if (first?.topic !== "system" || first.type !== "subscribed")
      throw new Error(`the first message is not the subscribed notice: ${JSON.stringify(first)}`);
    return client;
  }

  /** Tries to connect and expects the upgrade to be refused; returns the HTTP answer. */
  static async refused(gatewayUrl: string, query: string): Promise<RefusedUpgrade> {
    const socket = new WebSocket(`${gatewayUrl.replace(/^http/, "ws")}/api/v1/events${query}`);
    return new Promise((resolve, reject) => {
      socket.once("open", () => {
        socket.terminate();
        reject(new Error("the upgrade was accepted"));
      });
      socket.once("error", () => undefined);
      socket.once("unexpected-response", (_request, response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => {
          socket.terminate();
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as unknown });
        });
      });
    });
  }

  /** Messages other than the stream's own notices. */
  get events(): EventMessage[] {
    return this.received.filter((m) => m.topic !== "system");
  }

  /** Waits until `done(received)` holds; fails when the socket closes first or after `timeoutMs`. */
  until(
    done: (received: EventMessage[]) => boolean,
    what: string,
    timeoutMs = 30_000,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (done(this.received)) finish();
        else if (this.closed !== undefined)
          finish(new Error(`the socket closed (${JSON.stringify(this.closed)}) before ${what}`));
      };
      const timer = setTimeout(
        () => finish(new Error(`timed out waiting for ${what}; got ${this.received.length}`)),
        timeoutMs,
      );
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (error) reject(error);
        else resolve();
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Waits for the close frame. */
  async closedWith(timeoutMs = 30_000): Promise<{ code: number; reason: string }> {
    await this.until(() => this.closed !== undefined, "the close", timeoutMs).catch(
      (error: unknown) => {
        if (this.closed === undefined) throw error;
      },
    );
    return this.closed as { code: number; reason: string };
  }

  close(): void {
    this.socket.terminate();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
