import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  freePort,
  type OpenApiDocument,
  resolveRef,
  TestGateway,
  testConfig,
} from "./gateway-harness.js";

/** Every route of the API, as the OpenAPI document must list it. */
const ROUTES: ReadonlyArray<{ method: string; path: string; body?: boolean; success: string }> = [
  { method: "get", path: "/health", success: "200" },
  { method: "get", path: "/metrics", success: "200" },
  { method: "get", path: "/api/v1/system/status", success: "200" },
  { method: "get", path: "/api/v1/integrations", success: "200" },
  { method: "get", path: "/api/v1/integrations/{name}", success: "200" },
  { method: "get", path: "/api/v1/integrations/{name}/status", success: "200" },
  { method: "post", path: "/api/v1/integrations/{name}", body: true, success: "200" },
  { method: "post", path: "/api/v1/projects", body: true, success: "201" },
  { method: "get", path: "/api/v1/projects", success: "200" },
  { method: "get", path: "/api/v1/projects/{id}", success: "200" },
  { method: "post", path: "/api/v1/tasks", body: true, success: "201" },
  { method: "post", path: "/api/v1/tasks/batch", body: true, success: "201" },
  { method: "get", path: "/api/v1/tasks", success: "200" },
  { method: "get", path: "/api/v1/tasks/{id}", success: "200" },
  { method: "post", path: "/api/v1/tasks/{id}/cancel", body: true, success: "200" },
  { method: "get", path: "/api/v1/agents", success: "200" },
  { method: "get", path: "/api/v1/agents/{id}", success: "200" },
  { method: "post", path: "/api/v1/workers", body: true, success: "201" },
  { method: "delete", path: "/api/v1/workers/{agent_id}", success: "200" },
  { method: "post", path: "/api/v1/workers/{agent_id}/heartbeat", body: true, success: "200" },
  { method: "post", path: "/api/v1/workers/{agent_id}/claim", body: true, success: "200" },
  { method: "post", path: "/api/v1/tasks/{id}/progress", body: true, success: "200" },
  { method: "post", path: "/api/v1/tasks/{id}/complete", body: true, success: "200" },
  { method: "post", path: "/api/v1/tasks/{id}/fail", body: true, success: "200" },
  { method: "post", path: "/api/v1/messages", body: true, success: "201" },
  { method: "post", path: "/api/v1/messages/requests", body: true, success: "200" },
  { method: "get", path: "/api/v1/messages", success: "200" },
  { method: "get", path: "/api/v1/agents/{agent_id}/mailbox", success: "200" },
  { method: "post", path: "/api/v1/agents/{agent_id}/mailbox/ack", body: true, success: "200" },
  { method: "post", path: "/api/v1/tasks/{id}/collaborations", body: true, success: "201" },
  { method: "get", path: "/api/v1/tasks/{id}/collaborations", success: "200" },
  {
    method: "put",
    path: "/api/v1/agents/{agent_id}/knowledge-subscription",
    body: true,
    success: "200",
  },
  { method: "get", path: "/api/v1/agents/{agent_id}/knowledge-subscription", success: "200" },
  { method: "post", path: "/api/v1/knowledge", body: true, success: "201" },
  { method: "get", path: "/api/v1/knowledge", success: "200" },
  { method: "get", path: "/api/v1/knowledge/{id}", success: "200" },
  { method: "put", path: "/api/v1/knowledge/{id}", body: true, success: "200" },
  { method: "get", path: "/api/v1/knowledge/{id}/versions", success: "200" },
  // A WebSocket: the 101 response documents the shape of each message.
  { method: "get", path: "/api/v1/events", success: "101" },
];

describe("OpenAPI document and docs", () => {
  let gateway: TestGateway;
  let document: OpenApiDocument;

  beforeAll(async () => {
    gateway = await TestGateway.start(await testConfig({ coordinatorPort: await freePort() }));
    const res = await gateway.request("GET", "/openapi.json");
    expect(res.status).toBe(200);
    document = res.json as OpenApiDocument;
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it("is OpenAPI 3.1 and lists exactly the API's routes", () => {
    expect(document.openapi).toBe("3.1.0");
    const documented = Object.entries(document.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`))
      .sort();
    expect(documented).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it.each(ROUTES)(
    "documents $method $path with its request and response schemas",
    ({ method, path, body, success }) => {
      const operation = document.paths[path]?.[method];
      expect(operation).toBeDefined();
      if (operation === undefined) return;
      const okContent = operation.responses[success]?.content;
      expect(okContent, "success response").toBeDefined();
      const okSchema = resolveRef(document, Object.values(okContent ?? {})[0]?.schema) as
        { type?: string } | undefined;
      expect(okSchema?.type, "success schema").toBeDefined();

      if (body) {
        const schema = operation.requestBody?.content["application/json"]?.schema as
          { type?: string; additionalProperties?: unknown } | undefined;
        expect(schema?.type).toBe("object");
        expect(schema?.additionalProperties).toBe(false);
      }
      for (const name of path.match(/\{(\w+)\}/g) ?? []) {
        const param = operation.parameters?.find((p) => p.in === "path" && `{${p.name}}` === name);
        expect(param?.schema, `path parameter ${name}`).toBeDefined();
      }
      if (path.startsWith("/api/")) {
        const errorSchema = resolveRef(
          document,
          operation.responses["4XX"]?.content?.["application/json"]?.schema,
        ) as { properties?: { error?: unknown } } | undefined;
        expect(errorSchema?.properties?.error, "4XX error schema").toBeDefined();
      }
    },
  );

  it("names the shared response schemas as components", () => {
    expect(Object.keys(document.components?.schemas ?? {}).sort()).toEqual(
      [
        "Agent",
        "Collaboration",
        "Error",
        "Event",
        "KnowledgeEntry",
        "Lease",
        "Message",
        "ProjectDetail",
        "ProjectProgress",
        "Task",
        "TaskDetail",
      ].sort(),
    );
  });

  it("documents query parameters, the Idempotency-Key header and enums", () => {
    const list = document.paths["/api/v1/tasks"]?.get;
    const queryNames = (list?.parameters ?? [])
      .filter((p) => p.in === "query")
      .map((p) => p.name)
      .sort();
    expect(queryNames).toEqual(["agent_id", "cursor", "limit", "project_id", "status", "type"]);

    for (const path of ["/api/v1/tasks", "/api/v1/tasks/batch", "/api/v1/projects"]) {
      const header = document.paths[path]?.post?.parameters?.find((p) => p.in === "header");
      expect(header?.name, path).toBe("idempotency-key");
    }

    const body = document.paths["/api/v1/tasks"]?.post?.requestBody?.content["application/json"]
      ?.schema as {
      properties: Record<string, { enum?: string[] }>;
    };
    expect(body.properties.priority?.enum).toEqual(["low", "medium", "high", "critical"]);
  });

  it("serves Swagger UI at /docs from local assets only", async () => {
    const page = await gateway.request("GET", "/docs");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.text).toContain("swagger-ui");
    expect(page.text).not.toMatch(/(?:src|href)=["']https?:/);

    const bundle = await fetch(`${gateway.url}/docs/static/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    await bundle.arrayBuffer();

    const initializer = await gateway.request("GET", "/docs/static/swagger-initializer.js");
    expect(initializer.status).toBe(200);
    expect(initializer.text).toContain("validatorUrl: null");
  });
});
