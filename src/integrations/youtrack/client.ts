import type { Settings } from "../integration.js";
import { remoteError } from "../framework/remote-errors.js";
import { apiErrorOf, YOUTRACK } from "./errors.js";

/** An issue created by a call whose later steps are still to succeed. */
export interface CreatedIssue {
  id: string;
  idReadable: string;
}

/** One request to the REST API. */
export interface RequestOptions {
  signal: AbortSignal;
  /** Query parameters; undefined ones are left out. `fields` is how YouTrack picks attributes. */
  query?: Readonly<Record<string, string | number | undefined>>;
  /** Sent as JSON. */
  body?: unknown;
  /** What the path addresses (e.g. `issue "DEMO-12"`), so an error names it. */
  subject?: string;
}

/** Most issues created whose later steps are still to finish, kept to resume a retried call. */
const MAX_PENDING_CREATIONS = 1_000;

/**
 * A YouTrack instance reached with fetch: its REST API under `<url>/api/`, authenticated with a
 * permanent token. It never retries (the service does) and throws {@link YouTrackApiError} for
 * non-2xx answers.
 */
export class YouTrackClient {
  /** The instance's base URL without a trailing slash, e.g. https://example.youtrack.cloud. */
  readonly baseUrl: string;
  private readonly token: string;
  /** Project database ids by upper-cased short name: they never change. */
  readonly projectIds = new Map<string, string>();
  /**
   * Issues created by a call whose next step (setting fields) has not succeeded yet, by the
   * call's idempotency key, so a retry of that call sets the fields on that issue rather than
   * creating another.
   */
  private readonly pendingCreations = new Map<string, CreatedIssue>();

  constructor(settings: Settings) {
    this.baseUrl = (settings.url ?? "")
      .trim()
      .replace(/\/+$/, "")
      .replace(/\/api$/, "");
    this.token = settings.token ?? "";
  }

  /** The issue's page in the web UI. */
  issueUrl(idReadable: string): string {
    return `${this.baseUrl}/issue/${encodeURIComponent(idReadable)}`;
  }

  pendingCreation(key: string): CreatedIssue | undefined {
    return this.pendingCreations.get(key);
  }

  rememberCreation(key: string, issue: CreatedIssue): void {
    this.pendingCreations.set(key, issue);
    if (this.pendingCreations.size > MAX_PENDING_CREATIONS) {
      const oldest = this.pendingCreations.keys().next();
      if (oldest.done !== true) this.pendingCreations.delete(oldest.value);
    }
  }

  forgetCreation(key: string): void {
    this.pendingCreations.delete(key);
  }

  /** Calls `<url>/api/<path>` and returns the parsed JSON answer (null for an empty one). */
  async request<T>(method: "GET" | "POST", path: string, options: RequestOptions): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      accept: "application/json",
    };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(this.url(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
    const text = await response.text();
    if (!response.ok) {
      throw apiErrorOf(response.status, text, response.headers.get("retry-after"), options.subject);
    }
    if (text.trim() === "") return null as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw remoteError(
        YOUTRACK,
        "remote_error",
        `expected JSON from ${method} /api/${path} but got ${JSON.stringify(text.slice(0, 120))}`,
        { remoteStatus: response.status },
      );
    }
  }

  private url(path: string, query: RequestOptions["query"]): string {
    // Built by hand so YouTrack's `$top`/`$skip` keep their `$` and `fields=a(b,c)` stays readable.
    const pairs = Object.entries(query ?? {})
      .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
      .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`);
    return `${this.baseUrl}/api/${path}${pairs.length > 0 ? `?${pairs.join("&")}` : ""}`;
  }
}
