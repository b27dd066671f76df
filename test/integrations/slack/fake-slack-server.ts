import { closeNow, listenLocally } from "../../helpers/local-http-server.js";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { type FormFile, parseBody } from "./fake-slack-body.js";
import { FILE_METHODS, receiveUpload } from "./fake-slack-files.js";
import { CORE_METHODS, type FakeMethod, SlackApiError } from "./fake-slack-methods.js";
import { FakeSlackWorkspace } from "./fake-slack-workspace.js";

/** A request as the fake saw it. */
export interface SlackRequest {
  /** The Web API method ("chat.postMessage"), or "upload" for a POST to an upload URL. */
  method: string;
  httpMethod: string;
  headers: IncomingMessage["headers"];
  /** Arguments from the query string and the body, as sent (form values are strings). */
  args: Record<string, unknown>;
  files: FormFile[];
  body: Buffer;
  /** The token sent (Authorization: Bearer, or the token argument). */
  token: string | undefined;
}

/** How the next calls of a method fail. */
export type SlackFailure =
  | { kind: "ratelimited"; retryAfterSeconds: number }
  | { kind: "error"; error: string; extra?: Record<string, unknown> }
  | { kind: "http"; status: number; body?: string }
  | { kind: "hang" };

/** A scripted failure; with echoCredential the answer carries the token it was sent. */
type Scripted = SlackFailure & { echoCredential?: boolean };

/** Scopes of a bot token that can do everything the plugin does (not chat:write.public). */
export const DEFAULT_SCOPES = [
  "chat:write",
  "channels:read",
  "channels:manage",
  "groups:read",
  "groups:write",
  "users:read",
  "users:read.email",
  "files:write",
];

const METHODS: Readonly<Record<string, FakeMethod>> = { ...CORE_METHODS, ...FILE_METHODS };

/**
 * A local Slack Web API: POST (or GET) /api/<method> with the token as `Authorization:
 * Bearer` or a `token` argument, form-urlencoded, JSON or multipart arguments, HTTP 200 with
 * `{"ok": false, "error": ...}` for API errors (not_authed, invalid_auth, token_revoked,
 * missing_scope with needed/provided, ...), HTTP 429 with Retry-After when rate limited, and
 * upload URLs on itself for the external upload flow. It keeps a workspace's state and
 * records every request.
 */
export class FakeSlackServer {
  readonly workspace = new FakeSlackWorkspace();
  readonly requests: SlackRequest[] = [];
  /** Tokens the workspace knows, with their scopes; revoked ones answer token_revoked. */
  readonly tokens = new Map<string, { scopes: Set<string>; revoked: boolean }>();
  private readonly failures = new Map<string, Scripted[]>();
  private server: Server | undefined;
  url = "";

  /** `token` is the bot token the workspace accepts, with `scopes`. */
  constructor(
    readonly token = "xoxb-fake-bot-token",
    scopes: readonly string[] = DEFAULT_SCOPES,
  ) {
    this.addToken(token, scopes);
  }

  /** The environment that points the slack integration here with the accepted token. */
  env(): Record<string, string> {
    return { SLACK_BOT_TOKEN: this.token, SLACK_API_URL: this.apiUrl };
  }

  /** The base URL the Slack client is given (Slack's is https://slack.com/api/). */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  addToken(token: string, scopes: readonly string[] = DEFAULT_SCOPES): void {
    this.tokens.set(token, { scopes: new Set(scopes), revoked: false });
  }

  revoke(token: string): void {
    const known = this.tokens.get(token);
    if (known !== undefined) known.revoked = true;
  }

  /** Makes the next `count` calls of `method` ("upload" for upload URLs) fail as told. */
  failNext(method: string, count: number, failure: Scripted): this {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < count; i++) queue.push(failure);
    this.failures.set(method, queue);
    return this;
  }

  /** The recorded calls of one method. */
  calls(method: string): SlackRequest[] {
    return this.requests.filter((r) => r.method === method);
  }

  async start(): Promise<this> {
    const { server, url } = await listenLocally((req, res, body) => this.handle(req, res, body));
    this.server = server;
    this.url = url;
    return this;
  }

  close(): Promise<void> {
    return closeNow(this.server);
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const url = new URL(req.url ?? "/", this.url);
    const upload = /^\/upload\/v1\/([a-f0-9]+)$/.exec(url.pathname);
    const api = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
    if ((upload === null && api === null) || !["GET", "POST"].includes(req.method ?? "")) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
      return;
    }
    const parsed = parseBody(url, req.headers["content-type"], body);
    const args = parsed === "invalid_json" ? {} : parsed.args;
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const token = bearer ?? (typeof args.token === "string" ? args.token : undefined);
    const method = upload !== null ? "upload" : (api?.[1] ?? "");
    const files = parsed === "invalid_json" ? [] : parsed.files;
    this.requests.push({
      method,
      httpMethod: req.method ?? "",
      headers: req.headers,
      args,
      files,
      body,
      token,
    });

    const failure = this.failures.get(method)?.shift();
    if (failure !== undefined) return this.fail(res, failure, token);
    if (upload !== null) {
      const data = files[0]?.data ?? body;
      const answer = receiveUpload(this.workspace, upload[1] ?? "", data);
      res.writeHead(answer.status, { "content-type": "text/plain" }).end(answer.body);
      return;
    }
    if (parsed === "invalid_json") return this.answer(res, { ok: false, error: "invalid_json" });
    this.callMethod(res, method, args, files, token);
  }

  private callMethod(
    res: ServerResponse,
    name: string,
    args: Record<string, unknown>,
    files: FormFile[],
    token: string | undefined,
  ): void {
    const method = METHODS[name];
    if (method === undefined)
      return this.answer(res, { ok: false, error: "unknown_method", req_method: name });
    if (token === undefined) return this.answer(res, { ok: false, error: "not_authed" });
    const known = this.tokens.get(token);
    if (known === undefined) return this.answer(res, { ok: false, error: "invalid_auth" });
    if (known.revoked) return this.answer(res, { ok: false, error: "token_revoked" });
    const needed = method.scopes(args, this.workspace);
    const provided = [...known.scopes].join(",");
    const headers = { "x-oauth-scopes": provided, "x-accepted-oauth-scopes": needed.join(",") };
    const missing = needed.filter((s) => !known.scopes.has(s));
    if (missing.length > 0) {
      return this.answer(
        res,
        { ok: false, error: "missing_scope", needed: missing.join(","), provided },
        headers,
      );
    }
    try {
      const result = method.run({
        args,
        files,
        scopes: known.scopes,
        workspace: this.workspace,
        baseUrl: this.url,
      });
      this.answer(res, { ok: true, ...result }, headers);
    } catch (thrown) {
      if (!(thrown instanceof SlackApiError)) throw thrown;
      this.answer(res, { ok: false, error: thrown.error, ...thrown.extra }, headers);
    }
  }

  private fail(res: ServerResponse, failure: Scripted, token: string | undefined): void {
    const echo = failure.echoCredential === true ? ` (token ${token ?? "none"})` : "";
    const metadata =
      echo === "" ? {} : { response_metadata: { messages: [`[ERROR] refused${echo}`] } };
    switch (failure.kind) {
      case "hang":
        return;
      case "ratelimited":
        res.writeHead(429, {
          "content-type": "application/json; charset=utf-8",
          "retry-after": String(failure.retryAfterSeconds),
        });
        res.end(JSON.stringify({ ok: false, error: "ratelimited", ...metadata }));
        return;
      case "http":
        res.writeHead(failure.status, { "content-type": "text/html" });
        res.end(`${failure.body ?? `<html><body>Error ${failure.status}</body></html>`}${echo}`);
        return;
      case "error":
        return this.answer(res, { ok: false, error: failure.error, ...failure.extra, ...metadata });
    }
  }

  private answer(
    res: ServerResponse,
    body: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(JSON.stringify(body));
  }
}
