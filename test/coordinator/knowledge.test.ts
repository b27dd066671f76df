import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppError } from "../../src/domain/index.js";
import {
  KnowledgeScope,
  KnowledgeServiceClient,
  type PublishKnowledgeRequest,
  type SearchKnowledgeRequest,
} from "../../src/gen/mcp/v1/knowledge.js";
import {
  checkGrpcHealth,
  CLIENT_OPTIONS,
  insecure,
  type PromiseClient,
  promiseClient,
} from "../../src/rpc/index.js";
import {
  type CoordinatorHarness,
  startCoordinatorHarness,
} from "../helpers/coordinator-harness.js";
import { freeform } from "../helpers/wire-builders.js";

const NOTE: PublishKnowledgeRequest = {
  title: "Retry backoff",
  content: "Double the delay after each failed attempt, with jitter.",
  tags: ["Retries", "grpc"],
  scope: KnowledgeScope.KNOWLEDGE_SCOPE_UNSPECIFIED,
  scopeId: "",
  author: "alice",
};

const SEARCH: SearchKnowledgeRequest = {
  query: "",
  tags: [],
  scope: KnowledgeScope.KNOWLEDGE_SCOPE_UNSPECIFIED,
  scopeId: "",
  limit: 0,
};

let h: CoordinatorHarness;
let raw: KnowledgeServiceClient;
let client: PromiseClient<KnowledgeServiceClient>;

beforeEach(async () => {
  h = await startCoordinatorHarness();
  raw = new KnowledgeServiceClient(h.address, insecure(), CLIENT_OPTIONS);
  client = promiseClient(raw, 10_000);
});

afterEach(async () => {
  raw.close();
  await h.close();
});

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  return promise.then(
    () => expect.fail("expected a rejection"),
    (error: unknown) => error as AppError,
  );
}

describe("KnowledgeService", () => {
  it("publishes, updates with an expected version, and keeps every version, across a restart", async () => {
    expect(await checkGrpcHealth(h.address, 2_000, "mcp.v1.KnowledgeService")).toBe(true);
    const { entry: v1 } = await client.publish(NOTE);
    expect(v1).toMatchObject({
      version: 1,
      title: "Retry backoff",
      tags: ["grpc", "retries"],
      scope: KnowledgeScope.KNOWLEDGE_SCOPE_GLOBAL,
      scopeId: "",
      author: "alice",
    });
    expect(v1!.id).toMatch(/^kn_[0-9a-f-]{36}$/);
    expect(v1!.updatedAtMs).toBe(v1!.createdAtMs);
    expect((await client.get({ id: v1!.id })).entry).toStrictEqual(v1);

    const update = { ...NOTE, id: v1!.id, content: "Cap the delay at a minute.", author: "bob" };
    const { entry: v2 } = await client.update({ ...update, expectedVersion: 1 });
    expect(v2).toMatchObject({ version: 2, content: "Cap the delay at a minute.", author: "bob" });
    expect(v2!.createdAtMs).toBe(v1!.createdAtMs);

    const stale = await rejection(client.update({ ...update, expectedVersion: 1 }));
    expect(stale.code).toBe("failed_precondition");
    expect(stale.message).toContain("is at version 2, not 1");
    expect(stale.details).toMatchObject({
      field: "expected_version",
      current_version: 2,
      expected_version: 1,
    });
    // 0: no check.
    const { entry: v3 } = await client.update({ ...update, title: "Backoff", expectedVersion: 0 });
    expect(v3?.version).toBe(3);

    await h.restart();
    expect((await client.get({ id: v1!.id })).entry).toStrictEqual(v3);
    const { versions } = await client.listVersions({ id: v1!.id });
    expect(versions).toStrictEqual([v1, v2, v3]);
  });

  it("answers not_found for unknown ids, and refuses bad input naming the field", async () => {
    for (const call of [
      client.get({ id: "kn_missing" }),
      client.listVersions({ id: "kn_missing" }),
      client.update({ ...NOTE, id: "kn_missing", expectedVersion: 0 }),
    ]) {
      expect(await rejection(call)).toMatchObject({
        code: "not_found",
        details: { id: "kn_missing" },
      });
    }
    const bad: Array<[Partial<PublishKnowledgeRequest>, string]> = [
      [{ title: " " }, "title"],
      [{ content: "" }, "content"],
      [{ author: "" }, "author"],
      [{ tags: ["ok", "not ok"] }, "tags[1]"],
      [{ scopeId: "proj_1" }, "scope_id"],
      [{ scope: KnowledgeScope.KNOWLEDGE_SCOPE_PROJECT }, "scope_id"],
      [{ scope: 99 as KnowledgeScope }, "scope"],
    ];
    for (const [change, field] of bad) {
      expect(await rejection(client.publish({ ...NOTE, ...change })), field).toMatchObject({
        code: "invalid_argument",
        details: { field },
      });
    }
    expect(await rejection(client.get({ id: "" }))).toMatchObject({
      code: "invalid_argument",
      details: { field: "id" },
    });
  });

  it("scopes entries to existing projects and tasks only", async () => {
    const project = (
      await h.client.createProject({
        project: {
          name: "Billing API",
          description: "",
          requirements: "",
          techStack: {},
          priority: 0,
          template: "generic",
          metadataJson: "",
        },
        idempotencyKey: "",
      })
    ).project!;
    const task = (
      await h.client.createTasks({ tasks: [freeform("Write the docs")], idempotencyKey: "" })
    ).tasks[0]!;
    const about = (scope: KnowledgeScope, scopeId: string) =>
      client.publish({ ...NOTE, scope, scopeId });
    const inProject = await about(KnowledgeScope.KNOWLEDGE_SCOPE_PROJECT, project.id);
    expect(inProject.entry).toMatchObject({
      scope: KnowledgeScope.KNOWLEDGE_SCOPE_PROJECT,
      scopeId: project.id,
    });
    const onTask = await about(KnowledgeScope.KNOWLEDGE_SCOPE_TASK, task.id);
    expect(onTask.entry?.scopeId).toBe(task.id);
    for (const [scope, id, kind] of [
      [KnowledgeScope.KNOWLEDGE_SCOPE_PROJECT, "proj_missing", "project"],
      [KnowledgeScope.KNOWLEDGE_SCOPE_TASK, "task_missing", "task"],
      // A project's id is not a task's.
      [KnowledgeScope.KNOWLEDGE_SCOPE_TASK, project.id, "task"],
    ] as const) {
      expect(await rejection(about(scope, id))).toMatchObject({
        code: "not_found",
        details: { kind, id, field: "scope_id" },
      });
    }
    const inScope = await client.search({
      ...SEARCH,
      query: "backoff",
      scope: KnowledgeScope.KNOWLEDGE_SCOPE_PROJECT,
      scopeId: project.id,
    });
    expect(inScope.results.map((r) => r.entry?.id)).toStrictEqual([inProject.entry?.id]);
  });

  it("searches by relevance with snippets, by tags, and never fails on odd text", async () => {
    const inContent = (
      await client.publish({
        ...NOTE,
        title: "Deploying the gateway",
        content: "Roll out one instance at a time and use backoff between tries.",
        tags: [],
      })
    ).entry!;
    const inTitle = (await client.publish({ ...NOTE, title: "Backoff", tags: ["grpc"] })).entry!;
    await client.publish({
      ...NOTE,
      title: "Unrelated",
      content: "Pasta needs salted water.",
      tags: [],
    });
    const { results } = await client.search({ ...SEARCH, query: "backoff" });
    expect(results.map((r) => r.entry?.id)).toStrictEqual([inTitle.id, inContent.id]);
    expect(results[0]!.score).toBeGreaterThan(results[1]!.score);
    expect(results[1]!.snippet).toContain("backoff");

    const byTags = await client.search({ ...SEARCH, tags: ["GRPC"] });
    expect(byTags.results.map((r) => r.entry?.id)).toStrictEqual([inTitle.id]);
    expect(byTags.results[0]!.score).toBe(0);

    const odd = await client.search({ ...SEARCH, query: '"backoff AND (' });
    // "AND" is a word like any other: only the entry with "backoff" and "and" matches.
    expect(odd.results.map((r) => r.entry?.id)).toStrictEqual([inContent.id]);
    expect((await client.search({ ...SEARCH, query: "NEAR/ backo" })).results).toStrictEqual([]);
    expect((await client.search({ ...SEARCH, query: "backo" })).results).toHaveLength(2);

    for (const [request, field] of [
      [{ ...SEARCH }, "query"],
      [{ ...SEARCH, query: "((( *" }, "query"],
      [{ ...SEARCH, query: "x", limit: 101 }, "limit"],
      [{ ...SEARCH, query: "x", scopeId: "proj_1" }, "scope_id"],
    ] as const) {
      expect(await rejection(client.search(request)), field).toMatchObject({
        code: "invalid_argument",
        details: { field },
      });
    }
  });

  it("serialises concurrent updates of one entry: one wins per expected version, none are lost", async () => {
    const { entry } = await client.publish(NOTE);
    const id = entry!.id;
    const racing = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        client.update({ ...NOTE, id, content: `attempt ${i}`, expectedVersion: 1 }),
      ),
    );
    const won = racing.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const lost of racing.filter((r) => r.status === "rejected")) {
      expect((lost.reason as AppError).code).toBe("failed_precondition");
    }
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        client.update({ ...NOTE, id, content: `unchecked ${i}`, expectedVersion: 0 }),
      ),
    );
    const { versions } = await client.listVersions({ id });
    expect(versions.map((v) => v.version)).toStrictEqual([1, 2, 3, 4, 5, 6, 7]);
    expect((await client.get({ id })).entry?.version).toBe(7);
  });
});
