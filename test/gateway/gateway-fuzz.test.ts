import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpStatusOf } from "../../src/contract/index.js";
import { isErrorCode } from "../../src/domain/index.js";
import { type OpenApiDocument, ResponseChecker, TestSystem } from "./gateway-harness.js";
import { nearSchema, type PropertyOverrides, validFor } from "./schema-arbitrary.js";

/** Runs per route; seeded so that a failure replays. */
const RUNS = 120;
const SEED = 20_251_125;

/**
 * Schema fuzz of every POST and PUT route (and the list queries) against a real coordinator: random
 * bodies near each route's documented schema, and arbitrary JSON. No input may give a 5xx;
 * every answer must match its documented schema, errors with the status of their code.
 */
describe("schema fuzz", () => {
  let system: TestSystem;
  let document: OpenApiDocument;
  let checker: ResponseChecker;
  let taskId = "";
  let workerId = "";
  let projectId = "";
  let knowledgeId = "";

  beforeAll(async () => {
    system = await TestSystem.start();
    document = (await system.request("GET", "/openapi.json")).json as OpenApiDocument;
    checker = new ResponseChecker(document);
    taskId = (
      (
        await system.request("POST", "/api/v1/tasks", {
          body: { title: "fuzz target", type: "qa" },
        })
      ).json as { id: string }
    ).id;
    workerId = (
      (await system.request("POST", "/api/v1/workers", { body: { name: "fuzz", type: "qa" } }))
        .json as { agent: { id: string } }
    ).agent.id;
    projectId = (
      (await system.request("POST", "/api/v1/projects", { body: { name: "fuzz project" } }))
        .json as { id: string }
    ).id;
    knowledgeId = (
      (
        await system.request("POST", "/api/v1/knowledge", {
          body: { title: "fuzz note", content: "fuzzing", author: "fuzz" },
        })
      ).json as { id: string }
    ).id;
  });

  afterAll(async () => {
    await system?.close();
  });

  function requestSchema(path: string, method = "post"): unknown {
    return document.paths[path]?.[method]?.requestBody?.content["application/json"]?.schema;
  }

  /** Statuses seen per route, to show the fuzz reaches past validation. */
  const seen = new Map<string, Map<number, number>>();

  async function check(
    method: string,
    route: string,
    url: string,
    body: unknown,
    raw?: string,
  ): Promise<void> {
    const res =
      raw === undefined
        ? await system.request(method, url, { body })
        : await system.request(method, url, {
            raw,
            headers: { "content-type": "application/json" },
          });
    const label = `${method} ${url} ${raw ?? JSON.stringify(body)} -> ${res.status} ${res.text.slice(0, 300)}`;
    const counts = seen.get(`${method} ${route}`) ?? new Map<number, number>();
    counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
    seen.set(`${method} ${route}`, counts);
    expect(res.status, label).toBeLessThan(500);
    if (res.status === 204) return;
    expect(checker.errors(method, route, res.status, res.json), label).toEqual([]);
    if (res.status >= 400 && res.status !== 415) {
      const code = (res.json as { error: { code: unknown } }).error.code;
      expect(isErrorCode(code) && httpStatusOf(code), label).toBe(res.status);
    }
  }

  const targets = (): Array<{ route: string; url: () => string; method?: string }> => [
    { route: "/api/v1/projects", url: () => "/api/v1/projects" },
    { route: "/api/v1/tasks", url: () => "/api/v1/tasks" },
    { route: "/api/v1/tasks/batch", url: () => "/api/v1/tasks/batch" },
    { route: "/api/v1/tasks/{id}/cancel", url: () => `/api/v1/tasks/task_fuzz_unknown/cancel` },
    { route: "/api/v1/workers", url: () => "/api/v1/workers" },
    {
      route: "/api/v1/workers/{agent_id}/heartbeat",
      url: () => `/api/v1/workers/${workerId}/heartbeat`,
    },
    // An unregistered worker: a valid wait_ms must not make every run a long poll.
    {
      route: "/api/v1/workers/{agent_id}/claim",
      url: () => "/api/v1/workers/fuzz-unregistered/claim",
    },
    { route: "/api/v1/tasks/{id}/progress", url: () => `/api/v1/tasks/${taskId}/progress` },
    { route: "/api/v1/tasks/{id}/complete", url: () => `/api/v1/tasks/${taskId}/complete` },
    { route: "/api/v1/tasks/{id}/fail", url: () => `/api/v1/tasks/${taskId}/fail` },
    { route: "/api/v1/messages", url: () => "/api/v1/messages" },
    {
      route: "/api/v1/agents/{agent_id}/mailbox/ack",
      url: () => `/api/v1/agents/${workerId}/mailbox/ack`,
    },
    {
      route: "/api/v1/tasks/{id}/collaborations",
      url: () => `/api/v1/tasks/${taskId}/collaborations`,
    },
    // Not POST /api/v1/messages/requests: a valid request waits for its deadline (up to two
    // minutes) because nobody answers here; gateway-messages.test.ts covers it.
    { route: "/api/v1/knowledge", url: () => "/api/v1/knowledge" },
    {
      route: "/api/v1/knowledge/{id}",
      url: () => `/api/v1/knowledge/${knowledgeId}`,
      method: "PUT",
    },
  ];

  /** Ids that exist, mostly, so that valid bodies get past the coordinator's lookups. */
  const knownIds = (): PropertyOverrides => ({
    agent_id: fc.oneof(
      { arbitrary: fc.constant(workerId), weight: 3 },
      { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
    ),
    scope_id: fc.oneof(
      { arbitrary: fc.constantFrom(projectId, taskId), weight: 3 },
      { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
    ),
    parent_task_id: fc.oneof(
      { arbitrary: fc.constant(taskId), weight: 3 },
      { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
    ),
    project_id: fc.oneof(
      { arbitrary: fc.constant(projectId), weight: 3 },
      { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
    ),
    dependencies: fc.oneof(
      fc.constant([]),
      fc.constant([taskId]),
      fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 }),
    ),
  });

  it.each(targets().map((t) => [`${t.method ?? "POST"} ${t.route}`, t] as const))(
    "%s never answers 5xx",
    async (_name, target) => {
      const method = target.method ?? "POST";
      const schema = requestSchema(target.route, method.toLowerCase());
      expect(schema, "documented request body").toBeDefined();
      const body = fc.oneof(
        { arbitrary: validFor(schema as object, knownIds()), weight: 5 },
        { arbitrary: nearSchema(schema as object, knownIds()), weight: 4 },
        { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
      );
      await fc.assert(
        fc.asyncProperty(body, async (value) => {
          await check(method, target.route, target.url(), value);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    },
  );

  it("never answers 5xx to arbitrary bytes sent as JSON", async () => {
    const routes = targets();
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: routes.length - 1 }),
        fc.string({ unit: "binary", maxLength: 60 }),
        async (i, raw) => {
          const target = routes[i];
          if (target === undefined) return;
          await check(target.method ?? "POST", target.route, target.url(), undefined, raw);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("never answers 5xx to random list queries", async () => {
    for (const route of [
      "/api/v1/tasks",
      "/api/v1/projects",
      "/api/v1/agents",
      "/api/v1/knowledge",
    ]) {
      const parameters = (document.paths[route]?.get?.parameters ?? []).filter(
        (p) => p.in === "query",
      );
      const query = fc.record(
        Object.fromEntries(
          parameters.map((p) => [
            p.name,
            fc.option(fc.oneof(validFor(p.schema ?? {}), nearSchema(p.schema ?? {})), {
              nil: undefined,
            }),
          ]),
        ),
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(query, async (values) => {
          const search = new URLSearchParams();
          for (const [key, value] of Object.entries(values)) {
            if (value !== undefined)
              search.set(key, typeof value === "string" ? value : JSON.stringify(value));
          }
          await check("GET", route, `${route}?${search.toString()}`, undefined);
        }),
        { numRuns: RUNS / 2, seed: SEED },
      );
    }
  });

  it("reached the coordinator: creates and lists succeeded for some inputs", () => {
    const report = Object.fromEntries(
      [...seen].map(([route, counts]) => [route, Object.fromEntries(counts)]),
    );
    console.log("fuzz statuses", JSON.stringify(report));
    for (const route of [
      "POST /api/v1/projects",
      "POST /api/v1/tasks",
      "POST /api/v1/tasks/batch",
      "POST /api/v1/workers",
      "GET /api/v1/tasks",
      "POST /api/v1/knowledge",
      "PUT /api/v1/knowledge/{id}",
      "GET /api/v1/knowledge",
    ]) {
      const successes = [...(seen.get(route) ?? new Map<number, number>())]
        .filter(([status]) => status < 300)
        .reduce((n, [, c]) => n + c, 0);
      expect(successes, route).toBeGreaterThan(0);
    }
  });

  it("is still healthy afterwards", async () => {
    const res = await system.request("GET", "/health");
    expect(res.status).toBe(200);
  });
});
