import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type HttpResult,
  type OpenApiDocument,
  ResponseChecker,
  TestSystem,
} from "./gateway-harness.js";

interface TaskJson {
  id: string;
  title: string;
  status: string;
  type: string | null;
  priority: string;
  dependencies: string[];
  waiting_for: string | null;
  project_id: string | null;
  status_reason: string;
  metadata: Record<string, unknown>;
  action: unknown;
  history?: Array<{ from: string | null; to: string; actor: string; reason: string }>;
}

const TASK_FIELDS = [
  "id",
  "title",
  "description",
  "type",
  "priority",
  "status",
  "status_reason",
  "waiting_for",
  "dependencies",
  "required_capabilities",
  "action",
  "metadata",
  "project_id",
  "parent_task_id",
  "attempt",
  "max_attempts",
  "failed_attempts",
  "agent_id",
  "result",
  "progress",
  "created_at",
  "updated_at",
  "started_at",
  "finished_at",
  "not_before",
  "lease_expires_at",
].sort();

/** The REST API against a real coordinator: the reference examples, tasks, projects, agents, status. */
describe("gateway with a coordinator", () => {
  let system: TestSystem;
  let checker: ResponseChecker;

  beforeAll(async () => {
    system = await TestSystem.start();
    checker = new ResponseChecker(
      (await system.request("GET", "/openapi.json")).json as OpenApiDocument,
    );
  });

  afterAll(async () => {
    await system?.close();
  });

  /** Calls the API and checks the response against its documented schema. */
  async function call(
    method: string,
    path: string,
    route: string,
    body?: unknown,
  ): Promise<HttpResult> {
    const res = await system.request(method, path, { body });
    if (res.status !== 204)
      expect(
        checker.errors(method, route, res.status, res.json),
        `${method} ${path} -> ${res.status}`,
      ).toEqual([]);
    return res;
  }

  it("checks responses for real: a body off its documented schema is caught", () => {
    expect(checker.errors("GET", "/api/v1/tasks/{id}", 200, { id: "t" })).not.toEqual([]);
    expect(
      checker.errors("GET", "/api/v1/tasks/{id}", 404, {
        error: { code: "nope", message: "m", details: {} },
      }),
    ).not.toEqual([]);
  });

  it("answers /health with ok while the coordinator serves", async () => {
    const res = await call("GET", "/health", "/health");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: "ok", coordinator: "serving" });
  });

  it("accepts the reference project verbatim and plans its tasks", async () => {
    const raw =
      '{"name": "E-Commerce Platform", "description": "Full-stack e-commerce application", "requirements": ' +
      '"User auth, product catalog, shopping cart, payments", "tech_stack": {"frontend": "React + TypeScript", ' +
      '"backend": "Python + FastAPI", "database": "PostgreSQL", "cache": "Redis"}, "priority": "high"}';
    const res = await system.request("POST", "/api/v1/projects", {
      raw,
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(201);
    expect(checker.errors("POST", "/api/v1/projects", 201, res.json)).toEqual([]);
    const project = res.json as {
      id: string;
      name: string;
      priority: string;
      tech_stack: Record<string, string>;
      progress: { total_tasks: number; counts: Record<string, number> };
      tasks: TaskJson[];
    };
    expect(project).toMatchObject({
      name: "E-Commerce Platform",
      priority: "high",
      tech_stack: {
        frontend: "React + TypeScript",
        backend: "Python + FastAPI",
        database: "PostgreSQL",
        cache: "Redis",
      },
    });
    expect(project.tasks.length).toBeGreaterThan(1);
    expect(project.progress.total_tasks).toBe(project.tasks.length);
    expect(Object.values(project.progress.counts).reduce((a, b) => a + b, 0)).toBe(
      project.tasks.length,
    );
    expect(project.tasks.every((t) => t.project_id === project.id)).toBe(true);

    const again = await call("GET", `/api/v1/projects/${project.id}`, "/api/v1/projects/{id}");
    expect(again.status).toBe(200);
    expect((again.json as { tasks: TaskJson[] }).tasks.map((t) => t.id).sort()).toEqual(
      project.tasks.map((t) => t.id).sort(),
    );

    const list = await call("GET", "/api/v1/projects", "/api/v1/projects");
    const listed = (
      list.json as { projects: Array<{ id: string; progress: unknown }> }
    ).projects.find((p) => p.id === project.id);
    expect(listed?.progress).toEqual(project.progress);
  });

  it("accepts the reference task verbatim", async () => {
    const raw =
      '{"title": "Implement user authentication", "description": "Add OAuth2 and JWT support", "type": "backend", "priority": "high"}';
    const res = await system.request("POST", "/api/v1/tasks", {
      raw,
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(201);
    expect(checker.errors("POST", "/api/v1/tasks", 201, res.json)).toEqual([]);
    const task = res.json as TaskJson;
    expect(Object.keys(task).sort()).toEqual(TASK_FIELDS);
    expect(task).toMatchObject({
      title: "Implement user authentication",
      description: "Add OAuth2 and JWT support",
      type: "backend",
      priority: "high",
      status: "pending",
      action: null,
      project_id: null,
    });
    // No backend agent is online, and the task says so.
    expect(task.waiting_for).toMatch(/backend/);
  });

  it("creates, reads (with history), lists and cancels tasks", async () => {
    const created = await call("POST", "/api/v1/tasks", "/api/v1/tasks", {
      title: "Run the linter",
      type: "qa",
      priority: "low",
      required_capabilities: ["Testing"],
      action: {
        kind: "command",
        argv: ["npx", "eslint", "."],
        env: { CI: "1" },
        timeout_ms: 60_000,
      },
      metadata: { ticket: "QA-7", nested: { ok: true } },
      max_attempts: 2,
    });
    expect(created.status).toBe(201);
    const task = created.json as TaskJson & {
      required_capabilities: string[];
      max_attempts: number;
    };
    expect(task.action).toEqual({
      kind: "command",
      argv: ["npx", "eslint", "."],
      cwd: null,
      env: { CI: "1" },
      timeout_ms: 60_000,
    });
    expect(task.metadata).toEqual({ ticket: "QA-7", nested: { ok: true } });
    expect(task.required_capabilities).toEqual(["testing"]);
    expect(task.max_attempts).toBe(2);

    const read = await call("GET", `/api/v1/tasks/${task.id}`, "/api/v1/tasks/{id}");
    expect(read.status).toBe(200);
    const detail = read.json as TaskJson;
    expect(detail.history?.[0]).toMatchObject({ from: null, to: "pending", actor: "client" });

    const cancelled = await call(
      "POST",
      `/api/v1/tasks/${task.id}/cancel`,
      "/api/v1/tasks/{id}/cancel",
      { reason: "not needed" },
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toMatchObject({ id: task.id, status: "cancelled" });
    const history =
      ((await call("GET", `/api/v1/tasks/${task.id}`, "/api/v1/tasks/{id}")).json as TaskJson)
        .history ?? [];
    expect(history.at(-1)).toMatchObject({ from: "pending", to: "cancelled", actor: "client" });

    // Cancelling again is refused: cancelled is terminal.
    const twice = await system.request("POST", `/api/v1/tasks/${task.id}/cancel`);
    expect(twice.status).toBe(409);
    expect((twice.json as { error: { code: string } }).error.code).toBe("failed_precondition");
  });

  it("creates a batch whose tasks depend on each other by ref", async () => {
    const res = await call("POST", "/api/v1/tasks/batch", "/api/v1/tasks/batch", {
      tasks: [
        { ref: "schema", title: "Design the schema", type: "database" },
        { ref: "api", title: "Build the API", type: "backend", dependencies: ["schema"] },
        { title: "Test the API", type: "qa", dependencies: ["api", "schema"] },
      ],
    });
    expect(res.status).toBe(201);
    const [schema, api, tests] = (res.json as { tasks: TaskJson[] }).tasks;
    expect(schema?.status).toBe("pending");
    expect(api?.dependencies).toEqual([schema?.id]);
    expect(api?.status).toBe("blocked");
    expect(tests?.dependencies.sort()).toEqual([api?.id, schema?.id].sort());
    expect(tests?.waiting_for).toMatch(/dependencies/);

    const unknownRef = await system.request("POST", "/api/v1/tasks/batch", {
      body: { tasks: [{ title: "a", dependencies: ["nope"] }] },
    });
    expect(unknownRef.status).toBe(404);
  });

  it("filters and pages the task list", async () => {
    const project = (
      await call("POST", "/api/v1/projects", "/api/v1/projects", {
        name: "Paging",
        template: "generic",
      })
    ).json as {
      id: string;
      tasks: TaskJson[];
    };
    const extra = await call("POST", "/api/v1/tasks/batch", "/api/v1/tasks/batch", {
      tasks: Array.from({ length: 5 }, (_, i) => ({
        title: `page ${i}`,
        type: "frontend",
        project_id: project.id,
      })),
    });
    const ids = [...project.tasks, ...(extra.json as { tasks: TaskJson[] }).tasks].map((t) => t.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/api/v1/tasks?project_id=${project.id}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page = await call("GET", query, "/api/v1/tasks");
      expect(page.status).toBe(200);
      const body = page.json as { tasks: TaskJson[]; next_cursor: string | null; total: number };
      expect(body.tasks.length).toBeLessThanOrEqual(2);
      expect(body.total).toBe(ids.length);
      seen.push(...body.tasks.map((t) => t.id));
      cursor = body.next_cursor;
      pages += 1;
    } while (cursor !== null && pages < 20);
    expect(seen.sort()).toEqual([...ids].sort());
    expect(pages).toBe(Math.ceil(ids.length / 2));

    const byType = (
      await call("GET", `/api/v1/tasks?project_id=${project.id}&type=frontend`, "/api/v1/tasks")
    ).json as {
      tasks: TaskJson[];
      total: number;
    };
    expect(byType.total).toBe(5 + project.tasks.filter((t) => t.type === "frontend").length);
    expect(byType.tasks.every((t) => t.type === "frontend")).toBe(true);

    const firstId = ids[0] ?? "";
    await call("POST", `/api/v1/tasks/${firstId}/cancel`, "/api/v1/tasks/{id}/cancel", {});
    const byStatus = (
      await call(
        "GET",
        `/api/v1/tasks?project_id=${project.id}&status=cancelled,completed`,
        "/api/v1/tasks",
      )
    ).json as {
      tasks: TaskJson[];
    };
    expect(byStatus.tasks.map((t) => t.id)).toEqual([firstId]);
  });

  it("answers 404 for unknown ids, from the coordinator", async () => {
    for (const [path, route] of [
      ["/api/v1/tasks/task_does-not-exist", "/api/v1/tasks/{id}"],
      ["/api/v1/projects/proj_does-not-exist", "/api/v1/projects/{id}"],
      ["/api/v1/agents/agent-does-not-exist", "/api/v1/agents/{id}"],
    ] as const) {
      const res = await call("GET", path, route);
      expect(res.status, path).toBe(404);
      expect((res.json as { error: { code: string } }).error.code).toBe("not_found");
    }
    const cancel = await call(
      "POST",
      "/api/v1/tasks/task_nope/cancel",
      "/api/v1/tasks/{id}/cancel",
    );
    expect(cancel.status).toBe(404);
    const dependency = await call("POST", "/api/v1/tasks", "/api/v1/tasks", {
      title: "t",
      dependencies: ["task_nope"],
    });
    expect(dependency.status).toBe(404);
    const project = await call("POST", "/api/v1/tasks", "/api/v1/tasks", {
      title: "t",
      project_id: "proj_nope",
    });
    expect(project.status).toBe(404);
  });

  it("lists agents and reports system status", async () => {
    const registered = await call("POST", "/api/v1/workers", "/api/v1/workers", {
      name: "status-probe",
      type: "devops",
    });
    const agentId = (registered.json as { agent: { id: string } }).agent.id;

    const agents = (await call("GET", "/api/v1/agents?type=devops", "/api/v1/agents")).json as {
      agents: Array<{ id: string; type: string }>;
    };
    expect(agents.agents.map((a) => a.id)).toContain(agentId);
    expect(agents.agents.every((a) => a.type === "devops")).toBe(true);
    const none = (await call("GET", "/api/v1/agents?type=qa", "/api/v1/agents")).json as {
      agents: unknown[];
    };
    expect(none.agents.find((a) => (a as { id: string }).id === agentId)).toBeUndefined();

    const status = await call("GET", "/api/v1/system/status", "/api/v1/system/status");
    expect(status.status).toBe(200);
    const body = status.json as {
      version: string;
      uptime_seconds: number;
      processes?: unknown;
      integrations?: unknown;
      coordinator: {
        store_ok: boolean;
        agents: { online: number; total: number };
        task_counts: Record<string, number>;
      };
    };
    expect(body.coordinator.store_ok).toBe(true);
    expect(body.coordinator.agents.online).toBeGreaterThanOrEqual(1);
    expect(body.coordinator.task_counts.pending).toBeGreaterThan(0);
    expect(body.uptime_seconds).toBeGreaterThan(0);
    // Neither an orchestrator nor an integration service runs here: the status simply lacks them.
    expect(body.processes).toBeUndefined();
    expect(body.integrations).toBeUndefined();

    await system.request("DELETE", `/api/v1/workers/${agentId}`);
  });

  it("serves the gateway's and the coordinator's metrics with no duplicate names", async () => {
    await system.request("GET", "/api/v1/tasks");
    const res = await system.request("GET", "/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toMatch(/^mcp_gateway_coordinator_up 1$/m);
    const families = [...res.text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]);
    expect(families.length).toBeGreaterThan(10);
    expect(new Set(families).size).toBe(families.length);
    // Something of the coordinator's own is there, after the gateway's.
    expect(families.some((name) => !name?.startsWith("mcp_gateway_"))).toBe(true);
  });
});
