import { closeNow, listenLocally } from "../../helpers/local-http-server.js";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { FakeYouTrackData, type FakeUser } from "./fake-youtrack-data.js";
import { parseFields, project, type FieldTree } from "./fake-youtrack-fields.js";
import { CommandError, parseCommand, searchIssues } from "./fake-youtrack-query.js";

/** The endpoints of the REST API the fake serves, for assertions and failure injection. */
export type FakeEndpoint =
  | "users.me"
  | "projects.list"
  | "issues.create"
  | "issues.list"
  | "issues.get"
  | "issues.update"
  | "comments.create"
  | "commands";

/** A request as the fake saw it. */
export interface SeenRequest {
  endpoint: FakeEndpoint | "unknown";
  method: string;
  path: string;
  /** Decoded query parameters. */
  query: Record<string, string>;
  headers: IncomingMessage["headers"];
  /** The parsed JSON body, or the raw text when it was not JSON (undefined when empty). */
  body: unknown;
}

/** What an injected failure answers: YouTrack's error body with a status, or no answer at all. */
export type InjectedFailure =
  { status: number; error: string; description: string; headers?: Record<string, string> } | "hang";

/** Who a permanent token authenticates, and whether it may change things. */
export interface FakeToken {
  login: string;
  /** A token of a user without Update/Create Issue permission gets 403 on writes. */
  readOnly?: boolean;
}

/** Failures shaped as YouTrack sends them. */
export const failures = {
  rateLimited: (retryAfterSeconds: number): InjectedFailure => ({
    status: 429,
    error: "Too Many Requests",
    description: "Too many requests, try again later",
    headers: { "retry-after": String(retryAfterSeconds) },
  }),
  unavailable: (retryAfterSeconds?: number): InjectedFailure => ({
    status: 503,
    error: "Service Unavailable",
    description: "YouTrack is temporarily unavailable",
    headers: retryAfterSeconds === undefined ? {} : { "retry-after": String(retryAfterSeconds) },
  }),
  unauthorized: (): InjectedFailure => ({
    status: 401,
    error: "Unauthorized",
    description: "The token is invalid or revoked",
  }),
  forbidden: (): InjectedFailure => ({
    status: 403,
    error: "Forbidden",
    description: "You have no permission to do this",
  }),
  hang: "hang" as InjectedFailure,
};

/**
 * A local stand-in for a YouTrack instance's REST API (/api/...): permanent-token Bearer
 * authentication, the `fields` parameter, `$top`/`$skip` (42 by default, as YouTrack does),
 * issues numbered per project with State/Priority/Assignee fields, comments, the commands API
 * and a simple search query, answering errors as `{"error", "error_description"}`.
 */
export class FakeYouTrackServer {
  readonly data = new FakeYouTrackData();
  readonly requests: SeenRequest[] = [];
  /** When true, every error body repeats the Authorization header it was sent (canary tests). */
  echoCredential = false;
  url = "";
  private readonly tokens = new Map<string, FakeToken>();
  private readonly injected = new Map<FakeEndpoint, InjectedFailure[]>();
  private server: Server | undefined;

  /** `tokens`: permanent tokens the instance accepts. */
  constructor(tokens: Record<string, FakeToken>) {
    for (const [token, who] of Object.entries(tokens)) this.tokens.set(token, who);
  }

  async start(): Promise<this> {
    const { server, url } = await listenLocally((req, res, body) =>
      this.handle(req, res, body.toString("utf8")),
    );
    this.server = server;
    this.url = url;
    return this;
  }

  close(): Promise<void> {
    return closeNow(this.server);
  }

  /** Makes the next `count` calls of `endpoint` fail with `failure` (before authentication). */
  failNext(endpoint: FakeEndpoint, count: number, failure: InjectedFailure): void {
    const queue = this.injected.get(endpoint) ?? [];
    for (let i = 0; i < count; i++) queue.push(failure);
    this.injected.set(endpoint, queue);
  }

  /** Requests to one endpoint, oldest first. */
  requestsTo(endpoint: FakeEndpoint): SeenRequest[] {
    return this.requests.filter((r) => r.endpoint === endpoint);
  }

  private handle(req: IncomingMessage, res: ServerResponse, text: string): void {
    const url = new URL(req.url ?? "/", "http://fake");
    const method = req.method ?? "GET";
    const endpoint = routeOf(method, url.pathname);
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    const seen: SeenRequest = {
      endpoint: endpoint?.name ?? "unknown",
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
    };
    this.requests.push(seen);
    const reply = new Reply(res, this.echoCredential ? req.headers.authorization : undefined);
    if (endpoint !== undefined) {
      const failure = this.injected.get(endpoint.name)?.shift();
      if (failure === "hang") return;
      if (failure !== undefined) {
        reply.error(failure.status, failure.error, failure.description, failure.headers);
        return;
      }
    }
    const presented = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const token = presented === undefined ? undefined : this.tokens.get(presented);
    if (token === undefined) {
      reply.error(401, "Unauthorized", "You are not logged in or the token is not valid");
      return;
    }
    if (endpoint === undefined) {
      reply.error(404, "Not Found", "HTTP 404 Not Found");
      return;
    }
    const user = this.data.user(token.login) as FakeUser;
    if (method === "POST" && token.readOnly === true) {
      reply.error(403, "Forbidden", `${user.login} has no permission to change issues`);
      return;
    }
    let fields: FieldTree | null = null;
    const spec = url.searchParams.get("fields");
    if (spec !== null) {
      try {
        fields = parseFields(spec);
      } catch (error) {
        reply.error(400, "bad_request", (error as Error).message);
        return;
      }
    }
    const request: RouteRequest = {
      seen,
      id: endpoint.id,
      user,
      fields,
      reply,
      params: url.searchParams,
      send: (entity) => reply.json(200, project(entity, fields)),
    };
    this.dispatch(endpoint.name, request);
  }

  private dispatch(name: FakeEndpoint, r: RouteRequest): void {
    const data = this.data;
    switch (name) {
      case "users.me":
        return r.send({ ...data.userEntity(r.user), $type: "Me" });
      case "projects.list": {
        const q = (r.params.get("query") ?? "").toLowerCase();
        const found = data.projects.filter(
          (p) => p.shortName.toLowerCase().includes(q) || p.name.toLowerCase().includes(q),
        );
        return r.send(page(found, r.params).map((p) => data.projectEntity(p)));
      }
      case "issues.list": {
        const found = searchIssues(r.params.get("query") ?? "", data);
        return r.send(page(found, r.params).map((i) => data.issueEntity(i)));
      }
      case "issues.get": {
        const issue = this.issueOr404(r);
        return issue && r.send(data.issueEntity(issue));
      }
      case "issues.create":
        return this.createIssue(r);
      case "issues.update": {
        const issue = this.issueOr404(r);
        if (issue === undefined) return;
        const body = objectBody(r.seen.body);
        if (typeof body.summary === "string") {
          if (body.summary.trim() === "")
            return r.reply.error(400, "bad_request", "Summary is required");
          issue.summary = body.summary;
        }
        if (typeof body.description === "string" || body.description === null) {
          issue.description = body.description;
        }
        issue.updated = Date.now();
        return r.send(data.issueEntity(issue));
      }
      case "comments.create": {
        const issue = this.issueOr404(r);
        if (issue === undefined) return;
        const text = objectBody(r.seen.body).text;
        if (typeof text !== "string" || text.trim() === "") {
          return r.reply.error(400, "bad_request", "Comment text is required");
        }
        return r.send(data.commentEntity(data.addComment(issue, text, r.user.login)));
      }
      case "commands":
        return this.command(r);
    }
  }

  private createIssue(r: RouteRequest): void {
    const body = objectBody(r.seen.body);
    const projectRef = objectBody(body.project);
    const projectId = projectRef.id;
    if (typeof projectId !== "string")
      return r.reply.error(400, "bad_request", "Project is required");
    if (!/^[0-9]+-[0-9]+$/.test(projectId)) {
      return r.reply.error(400, "bad_request", `Invalid structure of entity id: ${projectId}`);
    }
    const target = this.data.project(projectId);
    if (target === undefined)
      return r.reply.error(404, "Not Found", `Entity with id ${projectId} not found`);
    if (typeof body.summary !== "string" || body.summary.trim() === "") {
      return r.reply.error(400, "bad_request", "Summary is required");
    }
    const description = typeof body.description === "string" ? body.description : null;
    r.send(this.data.issueEntity(this.data.createIssue(target, body.summary, description)));
  }

  private command(r: RouteRequest): void {
    const body = objectBody(r.seen.body);
    if (typeof body.query !== "string")
      return r.reply.error(400, "bad_request", "Command is empty");
    const refs = Array.isArray(body.issues) ? (body.issues as unknown[]) : [];
    if (refs.length === 0)
      return r.reply.error(400, "bad_request", "No issues to apply the command to");
    const issues = [];
    for (const ref of refs) {
      const { id, idReadable } = objectBody(ref);
      const key = typeof idReadable === "string" ? idReadable : typeof id === "string" ? id : "";
      const issue = this.data.issue(key);
      if (issue === undefined)
        return r.reply.error(404, "Not Found", `Entity with id ${key} not found`);
      issues.push(issue);
    }
    let changes;
    try {
      changes = parseCommand(body.query, this.data);
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      return r.reply.error(400, "bad_request", error.message);
    }
    for (const issue of issues) {
      for (const [definition, value] of changes) this.data.setField(issue, definition, value);
    }
    r.send({ $type: "CommandList", id: "cmd", query: body.query });
  }

  private issueOr404(r: RouteRequest) {
    const issue = this.data.issue(r.id ?? "");
    if (issue === undefined)
      r.reply.error(404, "Not Found", `Entity with id ${r.id ?? ""} not found`);
    return issue;
  }
}

interface RouteRequest {
  seen: SeenRequest;
  /** The issue id in the path, for issue routes. */
  id: string | undefined;
  user: FakeUser;
  fields: FieldTree | null;
  params: URLSearchParams;
  reply: Reply;
  /** Answers 200 with the entity as the `fields` parameter asked for it. */
  send(entity: unknown): void;
}

function routeOf(method: string, path: string): { name: FakeEndpoint; id?: string } | undefined {
  if (method === "GET" && path === "/api/users/me") return { name: "users.me" };
  if (method === "GET" && path === "/api/admin/projects") return { name: "projects.list" };
  if (path === "/api/issues") {
    if (method === "GET") return { name: "issues.list" };
    if (method === "POST") return { name: "issues.create" };
  }
  if (method === "POST" && path === "/api/commands") return { name: "commands" };
  const issue = /^\/api\/issues\/([^/]+)(\/comments)?$/.exec(path);
  if (issue === null) return undefined;
  const id = decodeURIComponent(issue[1] ?? "");
  if (issue[2] !== undefined)
    return method === "POST" ? { name: "comments.create", id } : undefined;
  if (method === "GET") return { name: "issues.get", id };
  if (method === "POST") return { name: "issues.update", id };
  return undefined;
}

/** `$skip` and `$top` (42 when not given, as YouTrack does). */
function page<T>(items: T[], params: URLSearchParams): T[] {
  const skip = Number(params.get("$skip") ?? 0);
  const top = Number(params.get("$top") ?? 42);
  return items.slice(skip, skip + top);
}

function objectBody(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Writes JSON answers and YouTrack's error bodies. */
class Reply {
  constructor(
    private readonly res: ServerResponse,
    /** The credential to repeat in error bodies (canary tests), if any. */
    private readonly echo: string | undefined,
  ) {}

  json(status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.res.writeHead(status, { "content-type": "application/json;charset=UTF-8", ...headers });
    this.res.end(JSON.stringify(body));
  }

  error(
    status: number,
    error: string,
    description: string,
    headers: Record<string, string> = {},
  ): void {
    const said = this.echo === undefined ? description : `${description} (sent: ${this.echo})`;
    this.json(status, { error, error_description: said }, headers);
  }
}
