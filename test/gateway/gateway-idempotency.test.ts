import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestSystem } from "./gateway-harness.js";

/** Idempotency-Key on the create routes, against a real coordinator. */
describe("Idempotency-Key", () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start();
  });

  afterAll(async () => {
    await system?.close();
  });

  async function countTasks(title: string): Promise<number> {
    const res = await system.request("GET", "/api/v1/tasks?limit=500");
    return (res.json as { tasks: Array<{ title: string }> }).tasks.filter((t) => t.title === title)
      .length;
  }

  it("replays a task creation: same status, same body, one task", async () => {
    const body = { title: "idempotent task", type: "backend", priority: "critical" };
    const headers = { "idempotency-key": "create-task-1" };
    const first = await system.request("POST", "/api/v1/tasks", { body, headers });
    const second = await system.request("POST", "/api/v1/tasks", { body, headers });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.text).toBe(first.text);
    expect(await countTasks(body.title)).toBe(1);
  });

  it("creates one task for one key posted concurrently, and answers all alike", async () => {
    const body = { title: "concurrent idempotent task" };
    const headers = { "idempotency-key": "concurrent-key-7" };
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => system.request("POST", "/api/v1/tasks", { body, headers })),
    );
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(responses.filter((r) => r.headers.get("idempotent-replayed") === null)).toHaveLength(1);
    expect(await countTasks(body.title)).toBe(1);
  });

  it("refuses the key with a different request and creates nothing", async () => {
    const headers = { "idempotency-key": "reused-key" };
    const first = await system.request("POST", "/api/v1/tasks", {
      body: { title: "first use" },
      headers,
    });
    expect(first.status).toBe(201);
    const other = await system.request("POST", "/api/v1/tasks", {
      body: { title: "second use" },
      headers,
    });
    expect(other.status).toBe(400);
    expect((other.json as { error: { code: string } }).error.code).toBe("invalid_argument");
    expect(await countTasks("second use")).toBe(0);
  });

  it("replays a batch and a project", async () => {
    const batch = {
      tasks: [
        { ref: "a", title: "batch a" },
        { title: "batch b", dependencies: ["a"] },
      ],
    };
    const b1 = await system.request("POST", "/api/v1/tasks/batch", {
      body: batch,
      headers: { "idempotency-key": "batch-1" },
    });
    const b2 = await system.request("POST", "/api/v1/tasks/batch", {
      body: batch,
      headers: { "idempotency-key": "batch-1" },
    });
    expect([b1.status, b2.status]).toEqual([201, 201]);
    expect(b2.headers.get("idempotent-replayed")).toBe("true");
    expect(b2.text).toBe(b1.text);
    expect(await countTasks("batch b")).toBe(1);

    const project = { name: "Idempotent project", template: "api_service" };
    const p1 = await system.request("POST", "/api/v1/projects", {
      body: project,
      headers: { "idempotency-key": "project-1" },
    });
    const p2 = await system.request("POST", "/api/v1/projects", {
      body: project,
      headers: { "idempotency-key": "project-1" },
    });
    expect([p1.status, p2.status]).toEqual([201, 201]);
    expect(p2.headers.get("idempotent-replayed")).toBe("true");
    expect(p2.text).toBe(p1.text);
    const projects = (await system.request("GET", "/api/v1/projects")).json as {
      projects: Array<{ name: string }>;
    };
    expect(projects.projects.filter((p) => p.name === project.name)).toHaveLength(1);
  });

  it("creates anew without a key", async () => {
    const body = { title: "no key" };
    const a = await system.request("POST", "/api/v1/tasks", { body });
    const b = await system.request("POST", "/api/v1/tasks", { body });
    expect((a.json as { id: string }).id).not.toBe((b.json as { id: string }).id);
    expect(await countTasks("no key")).toBe(2);
  });
});
