import type { Static, TSchema } from "@sinclair/typebox";
import type { AppError } from "../../domain/index.js";
import { remoteError } from "../framework/remote-errors.js";
import { type Crumb, CRUMB_ISSUER_PATH, crumbHeaders, crumbOfAnswer } from "./crumb.js";
import { summariseErrorBody } from "./error-page.js";
import { JENKINS, JenkinsHttpError } from "./errors.js";
import { parseAnswer } from "./responses.js";

/** One request to Jenkins. */
export interface JenkinsRequest {
  signal: AbortSignal;
  query?: Readonly<Record<string, string>>;
  /** Sent as an application/x-www-form-urlencoded body. */
  form?: URLSearchParams;
  /** What is asked for, e.g. `job "team/app"`: a 404 names it. */
  subject?: string;
}

/** A successful answer. */
export interface JenkinsAnswer {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** The user and API token the client authenticates with. */
export interface JenkinsCredentials {
  user: string;
  token: string;
}

/** The Basic credentials, base64("user:token"), as sent. */
export function basicCredentials({ user, token }: JenkinsCredentials): string {
  return Buffer.from(`${user}:${token}`).toString("base64");
}

/**
 * Jenkins' remote access API over fetch, with Basic authentication (a user and an API token)
 * and CSRF crumbs for POSTs. It never retries: the runtime does, and polling follows builds.
 */
export class JenkinsClient {
  /** The crumb in use: undefined before the first POST, null when CSRF protection is off. */
  private crumb: Crumb | null | undefined;
  private readonly authorization: string;
  /** The credentials in the spellings an error page could echo them in. */
  private readonly secrets: string[];

  /** @param base Jenkins' root URL, or why JENKINS_URL is unusable (every call then fails so). */
  constructor(
    private readonly base: URL | AppError,
    credentials: JenkinsCredentials,
  ) {
    const basic = basicCredentials(credentials);
    this.authorization = `Basic ${basic}`;
    const { token } = credentials;
    this.secrets = [basic, token, encodeURIComponent(token), Buffer.from(token).toString("base64")]
      .filter((secret) => secret.length >= 4)
      .sort((a, b) => b.length - a.length);
  }

  /** GETs a JSON document and checks it has the fields `schema` names. */
  async getJson<T extends TSchema>(
    path: string,
    schema: T,
    request: JenkinsRequest,
  ): Promise<{ json: Static<T>; headers: Headers }> {
    const answer = await this.send("GET", path, request, {});
    const json = parseAnswer(schema, answer.body.toString("utf8"), `the answer to GET ${path}`);
    return { json, headers: answer.headers };
  }

  async get(path: string, request: JenkinsRequest): Promise<JenkinsAnswer> {
    return this.send("GET", path, request, {});
  }

  /**
   * POSTs with the crumb (fetched once and cached); when Jenkins says the crumb is not valid
   * (a restart or an expired session), fetches a new one and tries once more: Jenkins did
   * nothing with the refused request.
   */
  async post(path: string, request: JenkinsRequest): Promise<JenkinsAnswer> {
    const crumb = await this.currentCrumb(request.signal);
    try {
      return await this.send("POST", path, request, crumbHeaders(crumb));
    } catch (error) {
      if (!(error instanceof JenkinsHttpError) || !error.failure.crumbRejected) throw error;
      this.crumb = undefined;
      const fresh = await this.currentCrumb(request.signal);
      return this.send("POST", path, request, crumbHeaders(fresh));
    }
  }

  private async currentCrumb(signal: AbortSignal): Promise<Crumb | null> {
    if (this.crumb !== undefined) return this.crumb;
    try {
      const answer = await this.send("GET", CRUMB_ISSUER_PATH, { signal }, {});
      this.crumb = crumbOfAnswer(answer.body.toString("utf8"), answer.headers);
    } catch (error) {
      if (!(error instanceof JenkinsHttpError) || error.failure.status !== 404) throw error;
      this.crumb = null;
    }
    return this.crumb;
  }

  private async send(
    method: "GET" | "POST",
    path: string,
    request: JenkinsRequest,
    extraHeaders: Record<string, string>,
  ): Promise<JenkinsAnswer> {
    const headers: Record<string, string> = {
      authorization: this.authorization,
      accept: "application/json",
      ...extraHeaders,
    };
    if (request.form !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";
    const response = await fetch(this.url(path, request.query), {
      method,
      headers,
      body: request.form?.toString(),
      // A redirect elsewhere must not take the credentials with it; a POST's 201/302 is its answer.
      redirect: "manual",
      signal: request.signal,
    });
    const body = Buffer.from(await response.arrayBuffer());
    const redirected = method === "GET" && response.status >= 300 && response.status < 400;
    if (response.status < 400 && !redirected) {
      return { status: response.status, headers: response.headers, body };
    }
    // Masked before the message is cut short: a cut secret would escape the runtime's redaction.
    const text = this.mask(body.toString("utf8"));
    throw new JenkinsHttpError({
      status: response.status,
      summary: redirected
        ? `redirected to ${this.mask(response.headers.get("location") ?? "?")}; set JENKINS_URL to the address Jenkins answers on`
        : withPermission(summariseErrorBody(text), response.headers),
      retryAfter: response.headers.get("retry-after"),
      subject: request.subject,
      crumbRejected: response.status === 403 && text.includes("No valid crumb"),
    });
  }

  private mask(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join("[redacted]");
    return out;
  }

  private url(path: string, query: Readonly<Record<string, string>> | undefined): string {
    if (!(this.base instanceof URL)) throw this.base;
    const root = `${this.base.origin}${this.base.pathname.replace(/\/+$/, "")}`;
    const search = query === undefined ? "" : `?${new URLSearchParams(query).toString()}`;
    return `${root}${path}${search}`;
  }
}

/** Jenkins names the permission a refused request lacked in a header; say it. */
function withPermission(summary: string, headers: Headers): string {
  const permission = headers.get("x-required-permission");
  if (permission === null) return summary;
  const who = headers.get("x-you-are-authenticated-as");
  const lacks = `${who ?? "the user"} lacks ${permission}`;
  return summary === "" ? lacks : `${summary} (${lacks})`;
}

/** Jenkins' root URL from JENKINS_URL, or the error every call will fail with. */
export function parseJenkinsUrl(url: string): URL | AppError {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return remoteError(JENKINS, "invalid_request", "JENKINS_URL is not a URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return remoteError(JENKINS, "invalid_request", "JENKINS_URL must be an http or https URL");
  }
  if (parsed.username !== "" || parsed.password !== "") {
    return remoteError(
      JENKINS,
      "invalid_request",
      "JENKINS_URL must not carry credentials; set JENKINS_USER and JENKINS_API_TOKEN",
    );
  }
  return parsed;
}
