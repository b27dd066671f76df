import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export type Handler = (request: SeenRequest, response: ServerResponse) => void;

/**
 * A local HTTP server whose answers a test scripts: handlers by "METHOD /path", each a queue
 * used in order (the last one repeats). It records every request.
 */
export class ScriptedServer {
  readonly seen: SeenRequest[] = [];
  private readonly scripts = new Map<string, Handler[]>();
  private server: Server | undefined;
  url = "";

  on(route: string, ...handlers: Handler[]): this {
    this.scripts.set(route, handlers);
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const path = (req.url ?? "/").split("?")[0] ?? "/";
        const seen: SeenRequest = {
          method: req.method ?? "GET",
          path: req.url ?? "/",
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        };
        this.seen.push(seen);
        const queue = this.scripts.get(`${seen.method} ${path}`);
        const handler = queue && (queue.length > 1 ? queue.shift() : queue[0]);
        if (handler === undefined) {
          res.writeHead(404, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: `no script for ${seen.method} ${path}` }));
          return;
        }
        handler(seen, res);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  count(route: string): number {
    return this.seen.filter((s) => `${s.method} ${s.path.split("?")[0]}` === route).length;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** Answers with JSON. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
}

/** Never answers (until the server closes). */
export const hang: Handler = () => undefined;
