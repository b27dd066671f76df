import { eventually } from "../cli/cli-process.js";
import type { AgentJson } from "../../src/gateway/schemas/agent-schemas.js";
import type {
  TaskDetailJson,
  TaskEventJson,
  TaskJson,
} from "../../src/gateway/schemas/task-schemas.js";

/** One HTTP exchange with the gateway. */
export interface RestReply<T = unknown> {
  status: number;
  json: T;
  headers: Headers;
}

/**
 * The REST API through `fetch`, as a user would call it. Every call has a deadline, so that a
 * hung gateway fails the test instead of stalling it.
 */
export class RestClient {
  constructor(
    /** Settable: a system restarted on port 0 answers at a new address. */
    public baseUrl: string,
    private readonly timeoutMs = 20_000,
  ) {}

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<RestReply<T>> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    return {
      status: res.status,
      json: (text === "" ? null : JSON.parse(text)) as T,
      headers: res.headers,
    };
  }

  /** POSTs `text` as it is, with a JSON content type (for bodies quoted from documentation). */
  async postRaw<T = unknown>(path: string, text: string): Promise<RestReply<T>> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: text,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const reply = await res.text();
    return {
      status: res.status,
      json: (reply === "" ? null : JSON.parse(reply)) as T,
      headers: res.headers,
    };
  }

  /** Like {@link request} but throws unless the status is `expected`. */
  async expect<T>(
    expected: number,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T> {
    const reply = await this.request<T>(method, path, body, headers);
    if (reply.status !== expected) {
      throw new Error(
        `${method} ${path} answered ${reply.status}, expected ${expected}: ${JSON.stringify(reply.json)}`,
      );
    }
    return reply.json;
  }

  createTask(spec: Record<string, unknown>): Promise<TaskJson> {
    return this.expect<TaskJson>(201, "POST", "/api/v1/tasks", spec);
  }

  getTask(id: string): Promise<TaskDetailJson> {
    return this.expect<TaskDetailJson>(200, "GET", `/api/v1/tasks/${encodeURIComponent(id)}`);
  }

  async agents(): Promise<AgentJson[]> {
    return (await this.expect<{ agents: AgentJson[] }>(200, "GET", "/api/v1/agents")).agents;
  }

  /** Every task matching `query` (e.g. "status=completed"), following the cursor. */
  async allTasks(query = ""): Promise<TaskJson[]> {
    const tasks: TaskJson[] = [];
    let cursor: string | null = null;
    do {
      const params = new URLSearchParams(query);
      params.set("limit", "500");
      if (cursor !== null) params.set("cursor", cursor);
      const page: { tasks: TaskJson[]; next_cursor: string | null } = await this.expect(
        200,
        "GET",
        `/api/v1/tasks?${params.toString()}`,
      );
      tasks.push(...page.tasks);
      cursor = page.next_cursor;
    } while (cursor !== null);
    return tasks;
  }

  /** How many tasks match `query`, from the list's total. */
  async countTasks(query = ""): Promise<number> {
    const params = new URLSearchParams(query);
    params.set("limit", "1");
    return (await this.expect<{ total: number }>(200, "GET", `/api/v1/tasks?${params.toString()}`))
      .total;
  }

  /** Polls the task until `accept` holds; fails with the last state seen after `timeoutMs`. */
  async waitForTask(
    id: string,
    accept: (task: TaskDetailJson) => boolean,
    what: string,
    timeoutMs = 30_000,
  ): Promise<TaskDetailJson> {
    let last: TaskDetailJson | undefined;
    try {
      return await eventually(
        async () => {
          last = await this.getTask(id);
          return accept(last) ? last : undefined;
        },
        `task ${id}: ${what}`,
        timeoutMs,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}; last seen: ${describeTask(last)}`, {
        cause: error,
      });
    }
  }
}

/** A task's status and history on one line per event, for failure messages. */
export function describeTask(task: TaskDetailJson | undefined): string {
  if (task === undefined) return "nothing";
  const events = task.history.map(
    (e) => `  [${e.attempt}] ${e.from ?? "-"} -> ${e.to} by ${e.actor}: ${e.reason}`,
  );
  return `${task.status} at attempt ${task.attempt} (${task.status_reason})\n${events.join("\n")}`;
}

/** The events that moved the task into `status` (notes, whose from equals to, excluded). */
export function transitionsTo(task: TaskDetailJson, status: TaskJson["status"]): TaskEventJson[] {
  return task.history.filter((e) => e.to === status && e.from !== status);
}

/** The statuses the task went through, oldest first (notes left out). */
export function statusPath(task: TaskDetailJson): string[] {
  return task.history.filter((e) => e.from !== e.to).map((e) => e.to);
}
