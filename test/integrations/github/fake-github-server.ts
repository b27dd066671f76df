import { closeNow, listenLocally } from "../../helpers/local-http-server.js";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { errorBody, GitHubHttpError, type Reply, type Route } from "./fake-github-http.js";
import type { Urls } from "./fake-github-json.js";
import { pullRoutes } from "./fake-github-pull-routes.js";
import { repoRoutes } from "./fake-github-repo-routes.js";
import { GitHubWorld } from "./fake-github-world.js";

/** A request as the fake saw it. */
export interface RecordedRequest {
  method: string;
  /** The path under the API base (without an Enterprise /api/v3 prefix), query excluded. */
  path: string;
  /** The matched route as GitHub documents it, e.g. "POST /repos/{owner}/{repo}/pulls". */
  route: string | undefined;
  query: Record<string, string>;
  headers: IncomingMessage["headers"];
  /** The parsed JSON body, or null. */
  body: unknown;
}

/** A failure the next calls of a route get instead of their answer. */
export type InjectedFailure =
  /** The primary rate limit: x-ratelimit-remaining 0, wait until x-ratelimit-reset. */
  | { kind: "primary_rate_limit"; resetInSeconds: number; status?: 403 | 429 }
  /** A secondary rate limit with retry-after. */
  | { kind: "secondary_rate_limit"; retryAfterSeconds: number; status?: 403 | 429 }
  | { kind: "server_error"; status?: 500 | 502 | 503 }
  | { kind: "bad_credentials" }
  /** Never answers (until the server closes). */
  | { kind: "hang" };

export interface FakeGitHubOptions {
  /** The token it accepts; default a fresh random one. */
  token?: string;
  /** The authenticated user's login; default "octocat". */
  login?: string;
  /** Serve under a prefix, as GitHub Enterprise Server does ("/api/v3"); default none. */
  pathPrefix?: string;
}

const ROUTES: Route[] = [...repoRoutes, ...pullRoutes];

function match(route: Route, segments: string[]): Record<string, string> | undefined {
  const parts = route.pattern.split("/").slice(1);
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const name = /^\{(\w+)(\+?)\}$/.exec(part);
    if (name?.[2] === "+") {
      if (i >= segments.length) return undefined;
      params[name[1] ?? ""] = segments.slice(i).join("/");
      return params;
    }
    const segment = segments[i];
    if (segment === undefined) return undefined;
    if (name) params[name[1] ?? ""] = segment;
    else if (part !== segment) return undefined;
  }
  return parts.length === segments.length ? params : undefined;
}

/**
 * A local GitHub REST API v3 for the endpoints the github integration uses: token or Bearer
 * authentication, GitHub's JSON shapes and error bodies, x-ratelimit-* headers on every answer,
 * primary and secondary rate limits, 404 for what the token cannot see, 422 validation errors.
 * It keeps state in {@link GitHubWorld} and records every request.
 */
export class FakeGitHubServer {
  readonly token: string;
  readonly world: GitHubWorld;
  readonly requests: RecordedRequest[] = [];
  /** Error bodies carry the Authorization header received (for secret-leak tests). */
  echoCredential = false;
  /** The core rate limit window; set `remaining` to 0 to be limited until `resetAt`. */
  readonly rateLimit = {
    limit: 5000,
    remaining: 5000,
    resetAt: Math.ceil(Date.now() / 1000) + 3600,
  };
  private readonly failures = new Map<string, InjectedFailure[]>();
  private readonly prefix: string;
  private server: Server | undefined;
  private origin = "";

  constructor(options: FakeGitHubOptions = {}) {
    this.token = options.token ?? `ghp_${randomUUID().replace(/-/g, "")}`;
    this.world = new GitHubWorld(options.login ?? "octocat");
    this.prefix = (options.pathPrefix ?? "").replace(/\/+$/, "");
  }

  /** The API base URL to give the client (with the Enterprise prefix, if any). */
  get url(): string {
    return `${this.origin}${this.prefix}`;
  }

  async start(): Promise<this> {
    const { server, url } = await listenLocally((req, res, body) =>
      this.serve(req, res, body.toString("utf8")),
    );
    this.server = server;
    this.origin = url;
    return this;
  }

  close(): Promise<void> {
    return closeNow(this.server);
  }

  /** The next `count` calls of `route` (e.g. "GET /user") fail with `failure`. */
  failNext(route: string, count: number, failure: InjectedFailure): this {
    this.failures.set(
      route,
      Array.from({ length: count }, () => failure),
    );
    return this;
  }

  count(route: string): number {
    return this.requests.filter((r) => r.route === route).length;
  }

  last(route: string): RecordedRequest | undefined {
    return this.requests.filter((r) => r.route === route).at(-1);
  }

  private serve(req: IncomingMessage, res: ServerResponse, text: string): void {
    const url = new URL(req.url ?? "/", this.origin);
    const path = url.pathname.startsWith(`${this.prefix}/`)
      ? url.pathname.slice(this.prefix.length)
      : null;
    const segments = (path ?? "").split("/").slice(1).map(decodeURIComponent);
    let route: Route | undefined;
    let params: Record<string, string> = {};
    for (const candidate of ROUTES) {
      const found = candidate.method === req.method ? match(candidate, segments) : undefined;
      if (found) {
        route = candidate;
        params = found;
        break;
      }
    }
    const routeName = route && `${route.method} ${route.pattern}`;
    let body: unknown = null;
    try {
      body = text === "" ? null : JSON.parse(text);
    } catch {
      body = undefined;
    }
    this.requests.push({
      method: req.method ?? "GET",
      path: path ?? url.pathname,
      route: routeName,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: body ?? null,
    });
    const reply = this.answer(req, {
      route,
      routeName,
      params,
      path: path ?? url.pathname,
      query: url.searchParams,
      body,
    });
    if (reply === "hang") return;
    const headers = { ...this.rateHeaders(), ...reply.headers };
    const payload = reply.status >= 400 ? this.echo(req, reply.body) : reply.body;
    res.writeHead(reply.status, headers);
    res.end(payload === undefined ? "" : JSON.stringify(payload));
  }

  private answer(
    req: IncomingMessage,
    r: {
      route: Route | undefined;
      routeName: string | undefined;
      params: Record<string, string>;
      path: string;
      query: URLSearchParams;
      body: unknown;
    },
  ): Reply | "hang" {
    const injected =
      r.routeName === undefined ? undefined : this.failures.get(r.routeName)?.shift();
    if (injected !== undefined) return this.injected(injected);
    const auth = /^(token|bearer) (\S+)$/i.exec(req.headers.authorization ?? "");
    if (auth === null) return { status: 401, body: errorBody(401, "Requires authentication") };
    if (auth[2] !== this.token) return { status: 401, body: errorBody(401, "Bad credentials") };
    const now = Math.ceil(Date.now() / 1000);
    if (now >= this.rateLimit.resetAt)
      Object.assign(this.rateLimit, { remaining: this.rateLimit.limit, resetAt: now + 3600 });
    if (this.rateLimit.remaining <= 0) return this.primaryLimit(403, this.rateLimit.resetAt);
    this.rateLimit.remaining -= 1;
    if (r.route === undefined) return { status: 404, body: errorBody(404, "Not Found") };
    if (r.body === undefined) return { status: 400, body: errorBody(400, "Problems parsing JSON") };
    const urls: Urls = { api: this.url, html: this.origin };
    try {
      return r.route.handle({
        params: r.params,
        query: r.query,
        body:
          typeof r.body === "object" && r.body !== null ? (r.body as Record<string, unknown>) : {},
        world: this.world,
        urls,
        path: r.path,
      });
    } catch (error) {
      if (!(error instanceof GitHubHttpError)) throw error;
      return { status: error.status, body: errorBody(error.status, error.message, error.extra) };
    }
  }

  private injected(failure: InjectedFailure): Reply | "hang" {
    switch (failure.kind) {
      case "hang":
        return "hang";
      case "bad_credentials":
        return { status: 401, body: errorBody(401, "Bad credentials") };
      case "server_error": {
        const status = failure.status ?? 502;
        return {
          status,
          body: errorBody(status, status === 503 ? "Service Unavailable" : "Server Error"),
        };
      }
      case "primary_rate_limit":
        return this.primaryLimit(
          failure.status ?? 403,
          Math.ceil(Date.now() / 1000) + failure.resetInSeconds,
        );
      case "secondary_rate_limit": {
        const status = failure.status ?? 403;
        return {
          status,
          headers: { "retry-after": String(failure.retryAfterSeconds) },
          body: errorBody(
            status,
            `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${randomUUID()}.`,
          ),
        };
      }
    }
  }

  private primaryLimit(status: 403 | 429, resetAt: number): Reply {
    return {
      status,
      headers: {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-used": String(this.rateLimit.limit),
        "x-ratelimit-reset": String(resetAt),
      },
      body: errorBody(
        status,
        `API rate limit exceeded for user ID ${this.world.account(this.world.viewer)?.id ?? 1}. If you reach out to GitHub Support for help, please include the request ID ${randomUUID()}.`,
      ),
    };
  }

  private rateHeaders(): Record<string, string> {
    return {
      "content-type": "application/json; charset=utf-8",
      "x-github-media-type": "github.v3; format=json",
      "x-github-api-version-selected": "2022-11-28",
      "x-github-request-id": randomUUID().toUpperCase(),
      "x-ratelimit-limit": String(this.rateLimit.limit),
      "x-ratelimit-remaining": String(Math.max(0, this.rateLimit.remaining)),
      "x-ratelimit-reset": String(this.rateLimit.resetAt),
      "x-ratelimit-used": String(this.rateLimit.limit - Math.max(0, this.rateLimit.remaining)),
      "x-ratelimit-resource": "core",
    };
  }

  /** With {@link echoCredential}, an error body repeats the credential it was sent. */
  private echo(req: IncomingMessage, body: unknown): unknown {
    if (!this.echoCredential || typeof body !== "object" || body === null) return body;
    const { message } = body as { message?: unknown };
    return {
      ...body,
      message: `${String(message)} (received Authorization: ${req.headers.authorization ?? "none"})`,
    };
  }
}
