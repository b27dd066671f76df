import { rateLimitedPage, startingPage } from "./fake-jenkins-pages.js";

/** An answer forced on the next calls of a route (a proxy's 429, a restart's 503, ...). */
export interface InjectedFailure {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Puts the request's credentials into the body, as a careless proxy or plugin might. */
  echoCredential?: boolean;
}

/** A proxy's rate limit answer (nginx's limit_req with a Retry-After). */
export function rateLimited(retryAfterSeconds: number): InjectedFailure {
  return {
    status: 429,
    headers: { "retry-after": String(retryAfterSeconds), "content-type": "text/html" },
    body: rateLimitedPage(),
  };
}

/** Jenkins starting up: 503 with its "getting ready" page. */
export function starting(retryAfterSeconds?: number): InjectedFailure {
  const headers: Record<string, string> = { "content-type": "text/html;charset=utf-8" };
  if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
  return { status: 503, headers, body: startingPage() };
}

/** Whether `route` ("GET /api/json") is matched by `pattern`; a trailing * matches a prefix. */
export function routeMatches(pattern: string, route: string): boolean {
  return pattern.endsWith("*") ? route.startsWith(pattern.slice(0, -1)) : pattern === route;
}

/** Failures and hangs scheduled for the next requests of some routes. */
export class InjectedAnswers {
  private readonly failures = new Map<string, InjectedFailure[]>();
  private readonly hangs = new Map<string, number>();

  fail(route: string, failure: InjectedFailure, times: number): void {
    const queue = this.failures.get(route) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.failures.set(route, queue);
  }

  hang(route: string, times: number): void {
    this.hangs.set(route, (this.hangs.get(route) ?? 0) + times);
  }

  takeFailure(route: string): InjectedFailure | undefined {
    for (const [pattern, queue] of this.failures) {
      if (queue.length > 0 && routeMatches(pattern, route)) return queue.shift();
    }
    return undefined;
  }

  takeHang(route: string): boolean {
    for (const [pattern, left] of this.hangs) {
      if (left > 0 && routeMatches(pattern, route)) {
        this.hangs.set(pattern, left - 1);
        return true;
      }
    }
    return false;
  }
}
