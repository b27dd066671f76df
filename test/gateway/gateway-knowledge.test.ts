import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type HttpResult,
  type OpenApiDocument,
  ResponseChecker,
  TestSystem,
} from "./gateway-harness.js";

interface EntryJson {
  id: string;
  version: number;
  title: string;
  content: string;
  tags: string[];
  scope: string;
  scope_id: string | null;
  author: string;
  created_at: string;
  updated_at: string;
}

interface ErrorJson {
  error: { code: string; message: string; details: Record<string, unknown> };
}

/** The knowledge routes against a real coordinator, every answer checked against the document. */
describe("knowledge over REST", () => {
  let system: TestSystem;
  let checker: ResponseChecker;
  let document: OpenApiDocument;

  beforeAll(async () => {
    system = await TestSystem.start();
    document = (await system.request("GET", "/openapi.json")).json as OpenApiDocument;
    checker = new ResponseChecker(document);
  });

  afterAll(async () => {
    await system?.close();
  });

  /** Calls the API and checks the answer against the documented schema of `route`. */
  async function call(
    method: string,
    path: string,
    route: string,
    body?: unknown,
  ): Promise<HttpResult> {
    const res = await system.request(method, path, { body });
    expect(checker.errors(method, route, res.status, res.json), `${method} ${path}`).toEqual([]);
    return res;
  }

  const publish = async (body: Record<string, unknown>) => {
    const res = await call("POST", "/api/v1/knowledge", "/api/v1/knowledge", {
      author: "alice",
      ...body,
    });
    expect(res.status, res.text).toBe(201);
    return res.json as EntryJson;
  };

  const search = async (query: string) =>
    call("GET", `/api/v1/knowledge?${query}`, "/api/v1/knowledge");

  const errorOf = (res: HttpResult) => (res.json as ErrorJson).error;

  it("publishes, reads, updates with an expected version and lists versions", async () => {
    const created = await publish({
      title: "Retry backoff",
      content: "Double the delay after each failed attempt.",
      tags: ["Retries", "grpc", "retries"],
    });
    expect(created).toMatchObject({
      version: 1,
      title: "Retry backoff",
      tags: ["grpc", "retries"],
      scope: "global",
      scope_id: null,
      author: "alice",
    });
    expect(created.updated_at).toBe(created.created_at);
    const path = `/api/v1/knowledge/${created.id}`;
    const read = await call("GET", path, "/api/v1/knowledge/{id}");
    expect(read.json).toEqual(created);

    const change = { title: "Retry backoff", content: "Cap it at a minute.", author: "bob" };
    const updated = await call("PUT", path, "/api/v1/knowledge/{id}", {
      ...change,
      tags: ["grpc"],
      expected_version: 1,
    });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ version: 2, author: "bob", tags: ["grpc"] });

    const stale = await call("PUT", path, "/api/v1/knowledge/{id}", {
      ...change,
      expected_version: 1,
    });
    expect(stale.status).toBe(409);
    expect(errorOf(stale)).toMatchObject({
      code: "failed_precondition",
      details: { field: "expected_version", current_version: 2, expected_version: 1 },
    });
    expect(errorOf(stale).message).toContain("version 2");

    // Without expected_version: no check. Absent tags mean none.
    const third = await call("PUT", path, "/api/v1/knowledge/{id}", change);
    expect(third.json).toMatchObject({ version: 3, tags: [] });

    const versions = await call("GET", `${path}/versions`, "/api/v1/knowledge/{id}/versions");
    expect(versions.status).toBe(200);
    const list = (versions.json as { versions: EntryJson[] }).versions;
    expect(list.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(list[0]).toEqual(created);
    expect(list[2]).toEqual(third.json);
  });

  it("answers 404 for unknown entries, projects and tasks", async () => {
    const body = { title: "t", content: "c", author: "a" };
    for (const [method, path, route, payload] of [
      ["GET", "/api/v1/knowledge/kn_nope", "/api/v1/knowledge/{id}", undefined],
      ["GET", "/api/v1/knowledge/kn_nope/versions", "/api/v1/knowledge/{id}/versions", undefined],
      ["PUT", "/api/v1/knowledge/kn_nope", "/api/v1/knowledge/{id}", body],
      [
        "POST",
        "/api/v1/knowledge",
        "/api/v1/knowledge",
        { ...body, scope: "project", scope_id: "proj_nope" },
      ],
      [
        "POST",
        "/api/v1/knowledge",
        "/api/v1/knowledge",
        { ...body, scope: "task", scope_id: "task_nope" },
      ],
    ] as const) {
      const res = await call(method, path, route, payload);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(errorOf(res).code).toBe("not_found");
    }
  });

  it("refuses bad input with 400 naming the field", async () => {
    const body = { title: "t", content: "c", author: "a" };
    const cases: Array<[string, string, Record<string, unknown>, string]> = [
      ["POST", "/api/v1/knowledge", { ...body, colour: "red" }, "body"],
      ["POST", "/api/v1/knowledge", { title: "t", content: "c" }, "body.author"],
      ["POST", "/api/v1/knowledge", { ...body, title: "   " }, "body.title"],
      ["POST", "/api/v1/knowledge", { ...body, content: "x".repeat(65_537) }, "body.content"],
      ["POST", "/api/v1/knowledge", { ...body, tags: ["two words"] }, "body.tags[0]"],
      [
        "POST",
        "/api/v1/knowledge",
        { ...body, scope: "global", scope_id: "proj_1" },
        "body.scope_id",
      ],
      ["POST", "/api/v1/knowledge", { ...body, scope: "team" }, "body.scope"],
      ["PUT", "/api/v1/knowledge/kn_1", { ...body, expected_version: 0 }, "body.expected_version"],
      ["PUT", "/api/v1/knowledge/kn_1", { ...body, scope: "global" }, "body"],
    ];
    for (const [method, path, payload, field] of cases) {
      const route = path === "/api/v1/knowledge" ? path : "/api/v1/knowledge/{id}";
      const res = await call(method, path, route, payload);
      expect(res.status, `${method} ${JSON.stringify(payload).slice(0, 80)}`).toBe(400);
      expect(errorOf(res).code).toBe("invalid_argument");
      expect(String(errorOf(res).details.field), JSON.stringify(errorOf(res))).toContain(field);
    }
    const longest = await publish({ title: "t".repeat(200), content: "é".repeat(65_536) });
    expect(longest.content).toHaveLength(65_536);
  });

  it("searches by relevance, tags and scope, and treats q as plain words", async () => {
    const project = (
      (await system.request("POST", "/api/v1/projects", { body: { name: "Search project" } }))
        .json as { id: string }
    ).id;
    const inContent = await publish({
      title: "Rolling deploys",
      content: "Replace one instance at a time; wait out the hysteresis when one fails.",
      tags: ["deploys"],
      scope: "project",
      scope_id: project,
    });
    const inTitle = await publish({
      title: "Hysteresis and jitter",
      content: "Spread retries out so that clients do not retry in lockstep.",
      tags: ["deploys", "grpc"],
    });
    await publish({ title: "Pasta", content: "Salt the water.", tags: ["kitchen"] });

    const ranked = await search("q=hysteresis");
    expect(ranked.status).toBe(200);
    const results = (
      ranked.json as { results: Array<{ entry: EntryJson; score: number; snippet: string }> }
    ).results;
    expect(results.map((r) => r.entry.id)).toEqual([inTitle.id, inContent.id]);
    expect(results[0]!.score).toBeGreaterThan(results[1]!.score);
    expect(results[1]!.snippet).toContain("hysteresis");

    const ids = async (query: string) =>
      ((await search(query)).json as { results: Array<{ entry: EntryJson }> }).results.map(
        (r) => r.entry.id,
      );
    expect(await ids("tags=deploys,GRPC")).toEqual([inTitle.id]);
    expect(await ids("q=hysteresis&tags=deploys&limit=1")).toEqual([inTitle.id]);
    expect(await ids(`q=hysteresis&scope=project&scope_id=${project}`)).toEqual([inContent.id]);
    expect(await ids("q=hysteresis&scope=global")).toEqual([inTitle.id]);
    // Operators are plain words: "AND" must appear too, as it does in one title.
    expect(await ids(`q=${encodeURIComponent('"hysteresis AND (')}`)).toEqual([inTitle.id]);
    expect(await ids(`q=${encodeURIComponent("NEAR/ jitt")}`)).toEqual([]);
    expect(await ids("q=jitt")).toEqual([inTitle.id]);

    for (const [query, field] of [
      ["", "query.q"],
      ["q=%20", "query.q"],
      [`q=${encodeURIComponent("((( **")}`, "query.q"],
      ["q=x&limit=101", "query.limit"],
      ["q=x&scope_id=proj_1", "query.scope_id"],
      ["tags=bad%20tag", "query.tags[0]"],
      ["q=x&colour=red", "query"],
    ] as const) {
      const res = await search(query);
      expect(res.status, query).toBe(400);
      expect(String(errorOf(res).details.field), query).toContain(field);
    }
  });

  it("documents the routes under the knowledge tag", () => {
    for (const [path, methods] of [
      ["/api/v1/knowledge", ["get", "post"]],
      ["/api/v1/knowledge/{id}", ["get", "put"]],
      ["/api/v1/knowledge/{id}/versions", ["get"]],
    ] as const) {
      for (const method of methods) {
        const operation = document.paths[path]?.[method] as { tags?: string[] } | undefined;
        expect(operation?.tags, `${method} ${path}`).toEqual(["knowledge"]);
      }
    }
  });
});
