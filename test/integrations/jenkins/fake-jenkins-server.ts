import { closeNow, listenLocally } from "../../helpers/local-http-server.js";
import { randomBytes } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { FakeJenkinsJson } from "./fake-jenkins-json.js";
import { type FakeItem, type FakeJob, FakeJenkinsModel } from "./fake-jenkins-model.js";
import { accessDeniedPage, jettyErrorPage } from "./fake-jenkins-pages.js";
import { applyTree, parseTree } from "./fake-jenkins-tree.js";
import {
  type InjectedFailure,
  InjectedAnswers,
  rateLimited,
  routeMatches,
  starting,
} from "./fake-jenkins-failures.js";

export type { InjectedFailure } from "./fake-jenkins-failures.js";

/** A request as the fake saw it. */
export interface SeenRequest {
  method: string;
  /** The path without the query, as sent (still encoded). */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface FakeJenkinsOptions {
  /** Default "admin". */
  user?: string;
  /** The user's API token; default a random one. */
  token?: string;
  /** CSRF protection (the crumb issuer); default on. */
  csrf?: boolean;
}

const VERSION = "2.440.3";

/** Permissions as Jenkins names them in X-Required-Permission, with their titles. */
const PERMISSIONS = {
  overallRead: ["hudson.model.Hudson.Read", "Overall/Read"],
  jobRead: ["hudson.model.Item.Read", "Job/Read"],
  jobBuild: ["hudson.model.Item.Build", "Job/Build"],
  jobCancel: ["hudson.model.Item.Cancel", "Job/Cancel"],
} as const;

type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS];

/** Stops handling a request: the answer has been sent. */
class Answered extends Error {}

/**
 * A local Jenkins speaking its remote access API: Basic authentication with a user and API
 * token, the CSRF crumb issuer tied to a session cookie, folders and jobs, a queue whose items
 * become builds after some polls, builds that run for some reads and end with a set result,
 * progressive console text, stop, and Jenkins' HTML error pages. It records every request.
 */
export class FakeJenkinsServer {
  readonly user: string;
  readonly token: string;
  /** CSRF protection: when off, the crumb issuer answers 404 and POSTs need no crumb. */
  csrf: boolean;
  readonly model = new FakeJenkinsModel();
  private readonly render = new FakeJenkinsJson(this.model, () => this.url);
  readonly requests: SeenRequest[] = [];
  /** Permission ids (e.g. "hudson.model.Item.Build") the user lacks. */
  readonly denied = new Set<string>();
  url = "";
  private server: Server | undefined;
  private readonly injected = new InjectedAnswers();
  private readonly sessions = new Map<string, string>();
  private readonly cookieName = `JSESSIONID.${randomBytes(4).toString("hex")}`;

  constructor(options: FakeJenkinsOptions = {}) {
    this.user = options.user ?? "admin";
    this.token = options.token ?? randomBytes(17).toString("hex");
    this.csrf = options.csrf ?? true;
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

  /**
   * Makes the next `times` requests of `route` ("GET /api/json"; a trailing * matches a
   * prefix, "GET /queue/item/*") answer with `failure`.
   */
  failNext(route: string, failure: InjectedFailure, times = 1): this {
    this.injected.fail(route, failure, times);
    return this;
  }

  /** Makes the next `times` requests of `route` never get an answer. */
  hangNext(route: string, times = 1): this {
    this.injected.hang(route, times);
    return this;
  }

  /** Forgets every session (as a restart does): crumbs issued so far are no longer valid. */
  invalidateSessions(): void {
    this.sessions.clear();
  }

  /** Requests seen for `route` ("POST /job/app/build"; a trailing * matches a prefix). */
  seen(route: string): SeenRequest[] {
    return this.requests.filter((r) => routeMatches(route, `${r.method} ${r.path}`));
  }

  count(route: string): number {
    return this.seen(route).length;
  }

  /** A proxy's rate limit answer. */
  static rateLimited = rateLimited;
  /** Jenkins starting up: 503 with its "getting ready" page. */
  static starting = starting;

  private handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = new URL(req.url ?? "/", "http://fake");
    const seen: SeenRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    this.requests.push(seen);
    const route = `${seen.method} ${seen.path}`;
    if (this.injected.takeHang(route)) return;
    const failure = this.injected.takeFailure(route);
    try {
      if (failure !== undefined) this.fail(res, seen, failure);
      this.authenticate(req, res, seen);
      if (seen.method === "POST" && this.csrf) this.checkCrumb(req, res, seen);
      this.dispatch(res, seen);
    } catch (error) {
      if (!(error instanceof Answered)) throw error;
    }
  }

  private fail(res: ServerResponse, seen: SeenRequest, failure: InjectedFailure): never {
    let body = failure.body ?? jettyErrorPage(failure.status, "", seen.path);
    if (failure.echoCredential === true) {
      const authorization = seen.headers.authorization ?? "";
      const decoded = Buffer.from(authorization.replace(/^Basic /, ""), "base64").toString();
      body = jettyErrorPage(
        failure.status,
        `Invalid password/token: got ${authorization} (${decoded}), token ${this.token}`,
        seen.path,
      );
    }
    this.send(res, failure.status, body, { "content-type": "text/html", ...failure.headers });
  }

  private send(
    res: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ): never {
    res.writeHead(status, {
      "x-jenkins": VERSION,
      "x-content-type-options": "nosniff",
      ...headers,
    });
    res.end(body);
    throw new Answered();
  }

  private page(res: ServerResponse, status: number, message: string, seen: SeenRequest): never {
    this.send(res, status, jettyErrorPage(status, message, seen.path), {
      "content-type": "text/html;charset=iso-8859-1",
    });
  }

  private json(res: ServerResponse, value: Record<string, unknown>, seen: SeenRequest): never {
    const tree = seen.query.get("tree");
    const shaped = tree === null ? value : applyTree(value, parseTree(tree));
    this.send(res, 200, JSON.stringify(shaped), {
      "content-type": "application/json;charset=utf-8",
    });
  }

  private authenticate(req: IncomingMessage, res: ServerResponse, seen: SeenRequest): void {
    const header = req.headers.authorization;
    if (header === undefined) {
      // Anonymous users may not read this instance.
      this.deny(res, "anonymous", PERMISSIONS.overallRead);
    }
    const decoded = Buffer.from(header.replace(/^Basic\s+/i, ""), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const user = colon < 0 ? decoded : decoded.slice(0, colon);
    const token = colon < 0 ? "" : decoded.slice(colon + 1);
    if (!/^Basic\s/i.test(header) || user !== this.user || token !== this.token) {
      this.send(
        res,
        401,
        jettyErrorPage(401, `Invalid password/token for user: ${user}`, seen.path),
        {
          "content-type": "text/html;charset=iso-8859-1",
          "www-authenticate": 'Basic realm="Jenkins"',
        },
      );
    }
  }

  private require(res: ServerResponse, permission: Permission): void {
    if (this.denied.has(permission[0])) this.deny(res, this.user, permission);
  }

  private deny(res: ServerResponse, user: string, [id, title]: Permission): never {
    this.send(res, 403, accessDeniedPage(user, title), {
      "content-type": "text/html;charset=utf-8",
      "x-you-are-authenticated-as": user,
      "x-required-permission": id,
    });
  }

  private checkCrumb(req: IncomingMessage, res: ServerResponse, seen: SeenRequest): void {
    const session = cookieValue(req.headers.cookie, this.cookieName);
    const crumb = req.headers["jenkins-crumb"];
    const expected = session === undefined ? undefined : this.sessions.get(session);
    if (expected === undefined || crumb !== expected) {
      this.page(res, 403, "No valid crumb was included in the request", seen);
    }
  }

  private dispatch(res: ServerResponse, seen: SeenRequest): never {
    let segments: string[];
    try {
      segments = seen.path
        .split("/")
        .filter((s) => s !== "")
        .map(decodeURIComponent);
    } catch {
      this.page(res, 400, "Bad Request", seen);
    }
    const key = segments.join("/");
    if (key === "api/json") {
      this.require(res, PERMISSIONS.overallRead);
      return this.json(res, this.rootJson(), seen);
    }
    if (key === "crumbIssuer/api/json") return this.issueCrumb(res, seen);
    if (key === "whoAmI/api/json") {
      return this.json(res, { _class: "hudson.security.WhoAmI", name: this.user }, seen);
    }
    const queueItem = /^queue\/item\/(\d+)\/api\/json$/.exec(key);
    if (queueItem !== null) {
      this.require(res, PERMISSIONS.overallRead);
      const item = this.model.pollQueueItem(Number(queueItem[1]), this.user);
      if (item === undefined) this.page(res, 404, "Not Found", seen);
      return this.json(res, this.render.queueItemJson(item), seen);
    }
    const names: string[] = [];
    let at = 0;
    while (segments[at] === "job" && segments[at + 1] !== undefined) {
      names.push(segments[at + 1] ?? "");
      at += 2;
    }
    const item = names.length === 0 ? undefined : this.model.find(names);
    if (item === undefined) this.page(res, 404, "Not Found", seen);
    this.require(res, PERMISSIONS.jobRead);
    return this.onItem(res, seen, item, segments.slice(at));
  }

  private onItem(res: ServerResponse, seen: SeenRequest, item: FakeItem, rest: string[]): never {
    const action = rest.join("/");
    if (action === "api/json") return this.json(res, this.render.itemJson(item), seen);
    if (item.kind !== "job") this.page(res, 404, "Not Found", seen);
    if (action === "build" || action === "buildWithParameters") {
      return this.trigger(res, seen, item, action === "buildWithParameters");
    }
    const [ref, ...tail] = rest;
    const build = ref === undefined ? undefined : this.model.build(item, ref);
    if (build === undefined) this.page(res, 404, "Not Found", seen);
    const what = tail.join("/");
    if (what === "api/json") {
      this.model.advance(build);
      return this.json(res, this.render.buildJson(build, this.user), seen);
    }
    if (what === "logText/progressiveText") {
      this.model.advance(build);
      const log = Buffer.from(build.log, "utf8");
      let start = Number(seen.query.get("start") ?? "0");
      if (!Number.isSafeInteger(start) || start < 0 || start > log.length) start = 0;
      const headers: Record<string, string> = {
        "content-type": "text/plain;charset=UTF-8",
        "x-text-size": String(log.length),
      };
      if (build.building) headers["x-more-data"] = "true";
      return this.send(res, 200, log.subarray(start).toString("utf8"), headers);
    }
    if (what === "stop") {
      if (seen.method !== "POST") this.page(res, 405, "Method Not Allowed", seen);
      this.require(res, PERMISSIONS.jobCancel);
      this.model.stop(build, this.user);
      return this.send(res, 302, "", { location: `${this.render.itemUrl(item)}${build.number}/` });
    }
    this.page(res, 404, "Not Found", seen);
  }

  private trigger(
    res: ServerResponse,
    seen: SeenRequest,
    job: FakeJob,
    withParameters: boolean,
  ): never {
    if (seen.method !== "POST") this.page(res, 405, "Method Not Allowed", seen);
    this.require(res, PERMISSIONS.jobBuild);
    if (job.options.disabled === true) {
      this.page(res, 409, `${job.fullName} is not buildable`, seen);
    }
    const parameterized = (job.options.parameters ?? []).length > 0;
    if (!withParameters && parameterized) this.page(res, 400, "Nothing is submitted", seen);
    if (withParameters && !parameterized) {
      this.page(
        res,
        500,
        "java.lang.IllegalStateException: This build is not parameterized!",
        seen,
      );
    }
    const given: Record<string, string> = {};
    const form = String(seen.headers["content-type"]).startsWith(
      "application/x-www-form-urlencoded",
    )
      ? new URLSearchParams(seen.body)
      : new URLSearchParams();
    for (const params of [seen.query, form]) {
      for (const [name, value] of params) if (name !== "delay") given[name] = value;
    }
    const item = this.model.schedule(job, given);
    return this.send(res, 201, "", { location: `${this.url}/queue/item/${item.id}/` });
  }

  private issueCrumb(res: ServerResponse, seen: SeenRequest): never {
    if (!this.csrf) this.page(res, 404, "Not Found", seen);
    const session = `node0${randomBytes(12).toString("hex")}.node0`;
    const crumb = randomBytes(32).toString("hex");
    this.sessions.set(session, crumb);
    const body = JSON.stringify({
      _class: "hudson.security.csrf.DefaultCrumbIssuer",
      crumb,
      crumbRequestField: "Jenkins-Crumb",
    });
    res.setHeader("set-cookie", `${this.cookieName}=${session}; Path=/; HttpOnly`);
    this.send(res, 200, body, { "content-type": "application/json;charset=utf-8" });
  }

  private rootJson(): Record<string, unknown> {
    const root = this.render.itemJson(this.model.root);
    return {
      _class: "hudson.model.Hudson",
      mode: "NORMAL",
      nodeDescription: "the Jenkins controller's built-in node",
      nodeName: "",
      numExecutors: 2,
      description: null,
      jobs: root.jobs,
      quietingDown: false,
      useCrumbs: this.csrf,
      useSecurity: true,
      url: `${this.url}/`,
    };
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}
