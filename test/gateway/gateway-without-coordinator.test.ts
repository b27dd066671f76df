import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, TestGateway, testConfig } from "./gateway-harness.js";

/**
 * Everything the gateway decides on its own, before (or without) reaching the coordinator:
 * input validation, body parsing and size, content type, unknown routes, and the answers it
 * gives while the coordinator is down. The coordinator port here has nothing listening.
 */
describe("gateway without a coordinator", () => {
  const BODY_LIMIT = 4096;
  let gateway: TestGateway;
  let coordinatorPort: number;
  let integrationPort: number;

  beforeAll(async () => {
    coordinatorPort = await freePort();
    integrationPort = await freePort();
    gateway = await TestGateway.start(
      await testConfig({ coordinatorPort, integrationPort, bodyLimitBytes: BODY_LIMIT }),
    );
  });

  afterAll(async () => {
    await gateway?.close();
  });

  const errorOf = (json: unknown) =>
    (json as { error: { code: string; message: string; details: Record<string, unknown> } }).error;

  describe("validation", () => {
    it("names the field and the allowed values of a wrong enum", async () => {
      const res = await gateway.request("POST", "/api/v1/tasks", {
        body: { title: "t", priority: "urgent" },
      });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({
        error: {
          code: "invalid_argument",
          message: "body.priority must be one of low, medium, high, critical",
          details: { field: "body.priority", reason: "enum" },
        },
      });
    });

    it("refuses unknown fields, at any depth", async () => {
      const top = await gateway.request("POST", "/api/v1/tasks", {
        body: { title: "t", colour: "red" },
      });
      expect(top.status).toBe(400);
      expect(errorOf(top.json).details.field).toBe("body.colour");

      const nested = await gateway.request("POST", "/api/v1/tasks", {
        body: { title: "t", action: { kind: "command", argv: ["true"], shell: true } },
      });
      expect(nested.status).toBe(400);
      expect(errorOf(nested.json).details.field).toBe("body.action.shell");

      const project = await gateway.request("POST", "/api/v1/projects", {
        body: { name: "p", owner: "me" },
      });
      expect(project.status).toBe(400);
      expect(errorOf(project.json).message).toBe("body.owner is not a known field");
    });

    it("names a missing required field", async () => {
      const res = await gateway.request("POST", "/api/v1/tasks", {
        body: { description: "no title" },
      });
      expect(res.status).toBe(400);
      expect(errorOf(res.json)).toMatchObject({
        code: "invalid_argument",
        message: "body.title is required",
        details: { field: "body.title" },
      });
    });

    it("does not coerce JSON types in a body", async () => {
      const res = await gateway.request("POST", "/api/v1/tasks", {
        body: { title: "t", max_attempts: "3" },
      });
      expect(res.status).toBe(400);
      expect(errorOf(res.json).message).toBe("body.max_attempts must be an integer");
      const title = await gateway.request("POST", "/api/v1/tasks", { body: { title: 42 } });
      expect(errorOf(title.json).message).toBe("body.title must be a string");
    });

    it("applies the domain's rules with the client's field names", async () => {
      const res = await gateway.request("POST", "/api/v1/tasks", { body: { title: "   " } });
      expect(res.status).toBe(400);
      expect(errorOf(res.json)).toMatchObject({
        message: "body.title must not be empty",
        details: { field: "body.title" },
      });
    });

    it("checks an action against the variant its kind names", async () => {
      const unknownKind = await gateway.request("POST", "/api/v1/tasks", {
        body: { title: "t", action: { kind: "shell" } },
      });
      expect(unknownKind.status).toBe(400);
      expect(errorOf(unknownKind.json).message).toBe(
        "body.action.kind must be one of command, noop, integration",
      );

      const noArgv = await gateway.request("POST", "/api/v1/tasks", {
        body: { title: "t", action: { kind: "command" } },
      });
      expect(errorOf(noArgv.json).message).toBe("body.action.argv is required");

      const badEnv = await gateway.request("POST", "/api/v1/tasks", {
        body: {
          title: "t",
          action: { kind: "command", argv: ["env"], env: { "NOT-A-NAME": "x" } },
        },
      });
      expect(badEnv.status).toBe(400);
      expect(errorOf(badEnv.json)).toMatchObject({
        message: 'body.action.env key "NOT-A-NAME" must match ^[A-Za-z_][A-Za-z0-9_]*$',
        details: { field: "body.action.env.NOT-A-NAME" },
      });
    });

    it("names the batch entry at fault", async () => {
      const res = await gateway.request("POST", "/api/v1/tasks/batch", {
        body: {
          tasks: [
            { title: "a", ref: "a" },
            { title: "b", type: "wizard" },
          ],
        },
      });
      expect(res.status).toBe(400);
      expect(errorOf(res.json)).toMatchObject({
        message:
          "body.tasks[1].type must be one of manager, frontend, backend, database, devops, integration, qa",
        details: { field: "body.tasks[1].type" },
      });
      const empty = await gateway.request("POST", "/api/v1/tasks/batch", { body: { tasks: [] } });
      expect(errorOf(empty.json).message).toBe("body.tasks must have at least 1 entries");
    });

    it("validates query strings and path parameters", async () => {
      const limit = await gateway.request("GET", "/api/v1/tasks?limit=0");
      expect(limit.status).toBe(400);
      expect(errorOf(limit.json).message).toBe("query.limit must be at least 1");

      const notNumber = await gateway.request("GET", "/api/v1/tasks?limit=many");
      expect(errorOf(notNumber.json).message).toBe("query.limit must be an integer");

      const unknown = await gateway.request("GET", "/api/v1/tasks?colour=red");
      expect(errorOf(unknown.json).details.field).toBe("query.colour");

      const status = await gateway.request("GET", "/api/v1/tasks?status=pending,done");
      expect(status.status).toBe(400);
      expect(errorOf(status.json).details.field).toBe("query.status");

      const type = await gateway.request("GET", "/api/v1/agents?type=wizard");
      expect(errorOf(type.json).details.field).toBe("query.type");

      const longId = await gateway.request("GET", `/api/v1/tasks/${"x".repeat(500)}`);
      expect(longId.status).toBe(400);
      expect(errorOf(longId.json).code).toBe("invalid_argument");

      const badEncoding = await gateway.request("GET", "/api/v1/tasks/%E0%A4%A");
      expect(badEncoding.status).toBe(400);
      expect(errorOf(badEncoding.json).code).toBe("invalid_argument");
    });

    it("checks worker inputs: wait_ms range, lease token, percent", async () => {
      const wait = await gateway.request("POST", "/api/v1/workers/w1/claim", {
        body: { wait_ms: 30_001 },
      });
      expect(wait.status).toBe(400);
      expect(errorOf(wait.json).message).toBe("body.wait_ms must be at most 30000");

      const noToken = await gateway.request("POST", "/api/v1/tasks/t1/complete", {
        body: { output: 1 },
      });
      expect(errorOf(noToken.json).message).toBe("body.lease_token is required");

      const percent = await gateway.request("POST", "/api/v1/tasks/t1/progress", {
        body: { lease_token: "x", percent: 101 },
      });
      expect(errorOf(percent.json).message).toBe("body.percent must be at most 100");

      const register = await gateway.request("POST", "/api/v1/workers", {
        body: { name: "w", type: "backend", executors: ["shell"] },
      });
      expect(errorOf(register.json).details.field).toBe("body.executors[0]");
    });

    it("checks the Idempotency-Key header", async () => {
      // (fetch sends only Latin-1 header values; "\u00e9" is one of them but not ASCII.)
      for (const key of ["", "caf\u00e9", "x".repeat(201), "tab\there", "with space"]) {
        const res = await gateway.request("POST", "/api/v1/tasks", {
          body: { title: "t" },
          headers: { "idempotency-key": key },
        });
        expect(res.status, JSON.stringify(key)).toBe(400);
        expect(errorOf(res.json).details.field).toBe("headers.idempotency-key");
      }
    });
  });

  describe("bodies", () => {
    it("answers 400 to malformed JSON", async () => {
      const res = await gateway.request("POST", "/api/v1/tasks", {
        raw: '{"title": "t"',
        headers: { "content-type": "application/json" },
      });
      expect(res.status).toBe(400);
      expect(errorOf(res.json)).toMatchObject({
        code: "invalid_argument",
        details: { field: "body" },
      });
    });

    it("refuses prototype poisoning", async () => {
      const res = await gateway.request("POST", "/api/v1/tasks", {
        raw: '{"title": "t", "__proto__": {"admin": true}}',
        headers: { "content-type": "application/json" },
      });
      expect(res.status).toBe(400);
    });

    it("answers 400 to a JSON body that is not an object, and to none where one is required", async () => {
      for (const raw of ["null", "[]", "42", '"text"']) {
        const res = await gateway.request("POST", "/api/v1/tasks", {
          raw,
          headers: { "content-type": "application/json" },
        });
        expect(res.status, raw).toBe(400);
      }
      const none = await gateway.request("POST", "/api/v1/tasks", {
        raw: "",
        headers: { "content-type": "application/json" },
      });
      expect(none.status).toBe(400);
      expect(errorOf(none.json).message).toBe("body is required: send a JSON object");
    });

    it("answers 415 to another content type, or to a body without one", async () => {
      for (const contentType of [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
      ]) {
        const res = await gateway.request("POST", "/api/v1/tasks", {
          raw: "title=t",
          headers: { "content-type": contentType },
        });
        expect(res.status, contentType).toBe(415);
        expect(errorOf(res.json).code).toBe("invalid_argument");
      }
      const bare = await fetch(`${gateway.url}/api/v1/tasks`, {
        method: "POST",
        body: new Uint8Array([123, 125]),
      });
      expect(bare.status).toBe(415);
    });

    it("answers 413 to a body over the limit", async () => {
      const oversize: Array<[string, string, Record<string, unknown>]> = [
        ["POST", "/api/v1/tasks", { title: "t", description: "x".repeat(BODY_LIMIT) }],
        // Knowledge content may be up to 65536 characters; the body limit still comes first.
        ["POST", "/api/v1/knowledge", { title: "t", content: "x".repeat(BODY_LIMIT), author: "a" }],
        [
          "PUT",
          "/api/v1/knowledge/kn_1",
          { title: "t", content: "x".repeat(BODY_LIMIT), author: "a" },
        ],
      ];
      for (const [method, path, body] of oversize) {
        const res = await gateway.request(method, path, { body });
        expect(res.status, `${method} ${path}`).toBe(413);
        expect(errorOf(res.json)).toMatchObject({
          code: "payload_too_large",
          details: { limit_bytes: BODY_LIMIT },
        });
      }
    });
  });

  describe("routes", () => {
    it("answers 404 in the error shape to unknown routes and methods", async () => {
      const unknown = await gateway.request("GET", "/api/v1/nothing");
      expect(unknown.status).toBe(404);
      expect(unknown.json).toEqual({
        error: {
          code: "not_found",
          message: "no route GET /api/v1/nothing",
          details: { method: "GET", path: "/api/v1/nothing" },
        },
      });
      const method = await gateway.request("PATCH", "/api/v1/tasks");
      expect(method.status).toBe(404);
      expect(errorOf(method.json).code).toBe("not_found");
    });
  });

  describe("coordinator down", () => {
    const address = () => `127.0.0.1:${coordinatorPort}`;

    it("answers 503 naming the coordinator's address", async () => {
      const calls: Array<[string, string, unknown]> = [
        [
          "POST",
          "/api/v1/tasks",
          { title: "Implement user authentication", type: "backend", priority: "high" },
        ],
        ["POST", "/api/v1/projects", { name: "p" }],
        ["GET", "/api/v1/tasks", undefined],
        ["GET", "/api/v1/tasks/task_1", undefined],
        ["GET", "/api/v1/agents", undefined],
        ["GET", "/api/v1/system/status", undefined],
        ["POST", "/api/v1/workers/w1/claim", undefined],
        ["POST", "/api/v1/knowledge", { title: "t", content: "c", author: "a" }],
        ["GET", "/api/v1/knowledge?q=retry", undefined],
        ["GET", "/api/v1/knowledge/kn_1", undefined],
      ];
      for (const [method, path, body] of calls) {
        const res = await gateway.request(method, path, { body });
        expect(res.status, `${method} ${path}`).toBe(503);
        const error = errorOf(res.json);
        expect(error.code).toBe("unavailable");
        expect(error.message).toContain(address());
        expect(error.details).toMatchObject({ service: "coordinator", address: address() });
      }
    });

    it("reports itself unavailable on /health", async () => {
      const res = await gateway.request("GET", "/health");
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({ status: "unavailable", coordinator: "unreachable" });
      expect((res.json as { message: string }).message).toContain(address());
    });

    it("still serves its own metrics, with the coordinator marked down", async () => {
      const res = await gateway.request("GET", "/metrics");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.text).toMatch(/^mcp_gateway_coordinator_up 0$/m);
      expect(res.text).toMatch(/^mcp_gateway_process_cpu_user_seconds_total /m);
      expect(res.text).toMatch(
        /^mcp_gateway_http_request_duration_seconds_bucket\{.*route="\/api\/v1\/tasks".*\} \d+$/m,
      );
      // Unknown paths share one label: a scanner cannot blow up the series count.
      expect(res.text).toMatch(/route="unmatched",status_code="404"/);
      expect(res.text).not.toContain("/api/v1/nothing");
    });

    it("answers 503 naming the integration service when it is down", async () => {
      const res = await gateway.request("GET", "/api/v1/integrations");
      expect(res.status).toBe(503);
      expect(errorOf(res.json).message).toContain(`127.0.0.1:${integrationPort}`);
    });
  });

  describe("logs", () => {
    it("logs requests at debug, an unreachable coordinator at warn, and client errors not above debug", async () => {
      await gateway.request("GET", "/api/v1/tasks?limit=0");
      await gateway.request("GET", "/api/v1/agents");
      const logs = gateway.logs();
      const completed = logs.filter((l) => l.msg === "request completed");
      expect(completed.length).toBeGreaterThan(0);
      expect(new Set(completed.map((l) => l.level))).toEqual(new Set(["debug"]));
      const unavailable = logs.filter((l) => l.code === "unavailable");
      expect(unavailable.length).toBeGreaterThan(0);
      expect(new Set(unavailable.map((l) => l.level))).toEqual(new Set(["warn"]));
      const invalid = logs.filter((l) => l.code === "invalid_argument");
      expect(invalid.length).toBeGreaterThan(0);
      expect(new Set(invalid.map((l) => l.level))).toEqual(new Set(["debug"]));
      expect(logs.some((l) => l.level === "error" || l.level === "fatal")).toBe(false);
    });
  });
});
