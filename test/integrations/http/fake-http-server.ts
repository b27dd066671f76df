import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";

/** A request as the server received it. */
export interface RecordedRequest {
  method: string;
  /** The path without the query. */
  path: string;
  query: Record<string, string | string[]>;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

/** An answer forced on the next calls of a path. */
export interface Failure {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Item {
  id: string;
  [key: string]: unknown;
}

/** httpbin's /json document. */
const SLIDESHOW = {
  slideshow: {
    author: "Yours Truly",
    date: "date of publication",
    slides: [
      { title: "Wake up to WonderWidgets!", type: "all" },
      {
        items: ["Why <em>WonderWidgets</em> are great", "Who <em>buys</em> WonderWidgets"],
        title: "Overview",
        type: "all",
      },
    ],
    title: "Sample Slide Show",
  },
};

/**
 * A local stand-in for the kind of server the generic HTTP integration calls, reproducing
 * httpbin.org's documented endpoints (the usual test target of HTTP clients): /anything,
 * /get, /post..., /headers, /status/{code}, /redirect-to, /redirect/{n},
 * /absolute-redirect/{n}, /bytes/{n}, /stream-bytes/{n}, /json, /html, /xml, /robots.txt,
 * /encoding/latin1, /response-headers, /bearer (401 with WWW-Authenticate: Bearer without
 * the right token) and /delay/{s}; plus a small stateful JSON resource, /items, created,
 * listed, read and deleted. It records every request, can fail the next calls of a path
 * (429 with Retry-After, 5xx, 401...) and can echo the credential it got in its 401 body.
 * It listens on every loopback address (IPv4 and IPv6) when it can, so any spelling of
 * loopback reaches it: a request that got through shows in `requests`.
 */
export class FakeHttpServer {
  readonly requests: RecordedRequest[] = [];
  url = "";
  port = 0;
  /** When set, /bearer's 401 body repeats the Authorization header it received. */
  echoCredentials = false;
  private server: Server | undefined;
  private readonly failures = new Map<string, { times: number; failure: Failure }>();
  private readonly items = new Map<string, Item>();
  private nextId = 1;

  private readonly token: string;
  private readonly tls: { key: string; cert: string } | undefined;

  /** `token` is what /bearer accepts; with `tls` the server speaks https. */
  constructor(options: { token?: string; tls?: { key: string; cert: string } } = {}) {
    this.token = options.token ?? "fake-token";
    this.tls = options.tls;
  }

  async start(): Promise<this> {
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => this.handle(req, Buffer.concat(chunks), res));
    };
    const server = this.tls ? createTlsServer(this.tls, listener) : createServer(listener);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) => {
        if (error.code !== "EAFNOSUPPORT" && error.code !== "EADDRNOTAVAIL") reject(error);
        else server.listen(0, "127.0.0.1", resolve);
      });
      server.listen({ port: 0, host: "::", ipv6Only: false }, resolve);
    });
    this.port = (server.address() as AddressInfo).port;
    this.url = `${this.tls ? "https" : "http"}://127.0.0.1:${this.port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Makes the next `times` requests to `path` answer `failure`. */
  failNext(path: string, times: number, failure: Failure): this {
    this.failures.set(path, { times, failure });
    return this;
  }

  /** Makes the next `times` requests to `path` answer 429 with Retry-After (seconds). */
  rateLimitNext(path: string, times: number, retryAfterSeconds: string): this {
    return this.failNext(path, times, {
      status: 429,
      body: { error: "Too Many Requests" },
      headers: { "retry-after": retryAfterSeconds },
    });
  }

  /** Forgets the failures still to come. */
  clearFailures(): this {
    this.failures.clear();
    return this;
  }

  /** Requests received (to `path` only, when given). */
  count(path?: string): number {
    return this.requests.filter((r) => path === undefined || r.path === path).length;
  }

  last(): RecordedRequest | undefined {
    return this.requests.at(-1);
  }

  private handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://fake");
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const all = url.searchParams.getAll(key);
      query[key] = all.length === 1 ? (all[0] ?? "") : all;
    }
    const seen: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query,
      headers: req.headers,
      body,
    };
    this.requests.push(seen);
    const forced = this.failures.get(seen.path);
    if (forced !== undefined && forced.times > 0) {
      forced.times -= 1;
      const { status, body: payload, headers } = forced.failure;
      send(res, status, payload ?? { error: `HTTP ${status}` }, headers);
      return;
    }
    this.route(seen, url, res);
  }

  private route(req: RecordedRequest, url: URL, res: ServerResponse): void {
    const [, first = "", second = ""] = req.path.split("/");
    const host = req.headers.host ?? `127.0.0.1:${this.port}`;
    switch (first) {
      case "anything":
        return send(res, 200, this.echo(req, url));
      case "get":
      case "post":
      case "put":
      case "patch":
      case "delete":
        if (req.method.toLowerCase() !== first) return send(res, 405, "", {}, "text/html");
        return send(res, 200, this.echo(req, url));
      case "headers":
        return send(res, 200, { headers: req.headers });
      case "status": {
        const status = Number(second);
        const headers: Record<string, string> =
          status >= 300 && status < 400 ? { location: "/redirect/1" } : {};
        return send(res, status, "", headers, "text/html; charset=utf-8");
      }
      case "redirect-to": {
        const status = Number(req.query.status_code ?? 302);
        res.writeHead(status, { location: String(req.query.url ?? "/get") }).end();
        return;
      }
      case "redirect":
      case "absolute-redirect": {
        const left = Number(second) - 1;
        const base = first === "redirect" ? "" : `http://${host}`;
        const next = left <= 0 ? `${base}/get` : `${base}/${first}/${left}`;
        res.writeHead(302, { location: next }).end();
        return;
      }
      case "bytes":
        return send(res, 200, pattern(Number(second)), {}, "application/octet-stream");
      case "stream-bytes": {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        const all = pattern(Number(second));
        for (let at = 0; at < all.length; at += 4096) res.write(all.subarray(at, at + 4096));
        res.end();
        return;
      }
      case "json":
        return send(res, 200, SLIDESHOW);
      case "html":
        return send(
          res,
          200,
          "<!DOCTYPE html><html><body><h1>Herman Melville - Moby-Dick</h1></body></html>",
          {},
          "text/html; charset=utf-8",
        );
      case "xml":
        return send(
          res,
          200,
          '<?xml version="1.0"?><slideshow title="Sample Slide Show"/>',
          {},
          "application/xml",
        );
      case "robots.txt":
        return send(res, 200, "User-agent: *\nDisallow: /deny\n", {}, "text/plain");
      case "encoding":
        return send(res, 200, Buffer.from("café", "latin1"), {}, "text/plain; charset=iso-8859-1");
      case "response-headers": {
        const headers = Object.fromEntries(
          Object.entries(req.query).map(([k, v]) => [k, String(v)]),
        );
        return send(res, 200, headers, headers);
      }
      case "bearer":
        return this.bearer(req, res);
      case "delay":
        setTimeout(() => send(res, 200, this.echo(req, url)), Number(second) * 1000).unref();
        return;
      case "items":
        return this.itemsRoute(req, second, res);
      default:
        return send(res, 404, "<h1>Not Found</h1>", {}, "text/html");
    }
  }

  /** httpbin's description of a request. */
  private echo(req: RecordedRequest, url: URL): unknown {
    const data = req.body.toString("utf8");
    let json: unknown = null;
    try {
      json = JSON.parse(data);
    } catch {
      json = null;
    }
    return {
      args: req.query,
      data,
      headers: req.headers,
      json,
      method: req.method,
      url: `http://${req.headers.host ?? ""}${url.pathname}${url.search}`,
    };
  }

  private bearer(req: RecordedRequest, res: ServerResponse): void {
    const given = req.headers.authorization ?? "";
    if (given === `Bearer ${this.token}`)
      return send(res, 200, { authenticated: true, token: this.token });
    const body = this.echoCredentials ? { error: "unauthorized", received: given } : "";
    send(
      res,
      401,
      body,
      { "www-authenticate": "Bearer" },
      this.echoCredentials ? "application/json" : "text/html",
    );
  }

  private itemsRoute(req: RecordedRequest, id: string, res: ServerResponse): void {
    if (id === "") {
      if (req.method === "GET") return send(res, 200, { items: [...this.items.values()] });
      if (req.method !== "POST") return send(res, 405, { error: "method not allowed" });
      let fields: unknown;
      try {
        fields = JSON.parse(req.body.toString("utf8"));
      } catch {
        return send(res, 400, { error: "body must be JSON" });
      }
      if (typeof fields !== "object" || fields === null || Array.isArray(fields))
        return send(res, 422, { error: "body must be a JSON object" });
      const item: Item = { ...(fields as Record<string, unknown>), id: String(this.nextId++) };
      this.items.set(item.id, item);
      return send(res, 201, item, { location: `/items/${item.id}` });
    }
    const item = this.items.get(id);
    if (item === undefined) return send(res, 404, { error: `no item ${id}` });
    if (req.method === "GET") return send(res, 200, item);
    if (req.method === "DELETE") {
      this.items.delete(id);
      res.writeHead(204).end();
      return;
    }
    send(res, 405, { error: "method not allowed" });
  }
}

/** Deterministic bytes covering every value, binary for sure (NUL and invalid UTF-8). */
export function pattern(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 7 + 3) % 256;
  return bytes;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = "application/json",
): void {
  const bytes = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === "string" ? body : JSON.stringify(body), "utf8");
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": bytes.length,
    ...headers,
  });
  res.end(bytes);
}
