import { describe, expect, it } from "vitest";
import type { KnowledgeEntryRecord } from "../../src/domain/index.js";
import type { KnowledgeQuery, Store } from "../../src/store/index.js";
import { expectAppError, writes } from "./contract-helpers.js";
import { makeKnowledge, makeTask, nextVersion } from "./store-fixtures.js";

/** The store under test, read at each use (tests may reopen it). */
export type KnowledgeContractContext = () => { store: Store; reopen(): Promise<Store> };

/** Entries that mention nothing searched for below, so that common words stay rare. */
function fillers(from: number, count: number): KnowledgeEntryRecord[] {
  return Array.from({ length: count }, (_, i) =>
    makeKnowledge(from + i, {
      title: `Unrelated note ${i}`,
      content: `Cooking pasta needs salted water and patience, batch ${i}.`,
      tags: ["kitchen"],
    }),
  );
}

/**
 * The knowledge part of the store contract: versions, the current state, and search (ranking,
 * filters, hostile text). Run by defineStoreContract for every store.
 */
export function defineKnowledgeContract(context: KnowledgeContractContext): void {
  describe("knowledge", () => {
    const search = (query: Partial<KnowledgeQuery> & { text: string | null }) =>
      context().store.searchKnowledge({ tags: [], limit: 20, ...query });
    const ids = async (query: Partial<KnowledgeQuery> & { text: string | null }) =>
      (await search(query)).map((hit) => hit.entry.id);

    it("keeps every version in order and makes the latest current, across commits and reopen", async () => {
      const v1 = makeKnowledge(1, {
        title: "Lease tuning",
        content: "line one\nline two — ünïcode ✓ 'quoted' \"double\"",
        tags: ["grpc", "leases"],
        scope: "project",
        scopeId: "proj_7",
        author: "planner-1",
      });
      const v2 = nextVersion(v1, { content: "shorter", author: "bob", tags: [] });
      const v3 = nextVersion(v2, { title: "Lease tuning, revised", tags: ["leases"] });
      await context().store.commit(writes({ knowledge: [v1] }));
      // Two versions of one entry in one write set apply in order.
      await context().store.commit(writes({ knowledge: [v2, v3] }));
      for (let round = 0; round < 2; round++) {
        const store = round === 0 ? context().store : await context().reopen();
        await expect(store.getKnowledge(v1.id)).resolves.toStrictEqual(v3);
        await expect(store.listKnowledgeVersions(v1.id)).resolves.toStrictEqual([v1, v2, v3]);
      }
      await expect(context().store.getKnowledge("kn_missing")).resolves.toBeNull();
      await expect(context().store.listKnowledgeVersions("kn_missing")).resolves.toStrictEqual([]);
    });

    it("keeps an entry's scope and creation time from its first version", async () => {
      const v1 = makeKnowledge(1, { scope: "task", scopeId: "task_1" });
      const v2 = nextVersion(v1, { scope: "global", scopeId: null, createdAt: 5 });
      await context().store.commit(writes({ knowledge: [v1] }));
      await context().store.commit(writes({ knowledge: [v2] }));
      const expected = { ...v2, scope: "task", scopeId: "task_1", createdAt: v1.createdAt };
      await expect(context().store.getKnowledge(v1.id)).resolves.toStrictEqual(expected);
      expect((await context().store.listKnowledgeVersions(v1.id)).at(-1)).toStrictEqual(expected);
    });

    it("refuses a version that does not follow the stored one, and rolls back the whole commit", async () => {
      const v1 = makeKnowledge(1);
      await context().store.commit(writes({ knowledge: [v1] }));
      const refused = [
        // An update of an entry that does not exist.
        { ...makeKnowledge(2), version: 2 },
        // A second version 1 of an existing entry.
        makeKnowledge(1, { title: "again" }),
        // A gap.
        nextVersion(nextVersion(v1)),
      ];
      for (const version of refused) {
        const error = await expectAppError(
          context().store.commit(writes({ tasks: [makeTask(1)], knowledge: [version] })),
          "failed_precondition",
        );
        expect(error.details).toMatchObject({ knowledge_id: version.id, version: version.version });
        await expect(context().store.getTask("task_1")).resolves.toBeNull();
      }
      await expect(context().store.getKnowledge("kn_2")).resolves.toBeNull();
      await expect(context().store.listKnowledgeVersions(v1.id)).resolves.toStrictEqual([v1]);
      expect(await ids({ text: "again" })).toStrictEqual([]);
    });

    it("ranks a title match above a tag match above a mere mention in the content", async () => {
      const inContent = makeKnowledge(1, {
        title: "Deploying the gateway",
        content: "Roll out one instance at a time; on failure use backoff before the next try.",
      });
      const inTitle = makeKnowledge(2, {
        title: "Backoff for retries",
        content: "Double the delay after each failed attempt, with jitter, up to a cap.",
      });
      const inTags = makeKnowledge(3, {
        title: "Flaky agents",
        content: "Agents that drop their stream reconnect by themselves.",
        tags: ["backoff", "streams"],
      });
      // Written in an order that differs from the expected one, with newer entries last.
      await context().store.commit(
        writes({ knowledge: [inTitle, inTags, inContent, ...fillers(10, 6)] }),
      );
      const hits = await search({ text: "backoff" });
      expect(hits.map((h) => h.entry.id)).toStrictEqual([inTitle.id, inTags.id, inContent.id]);
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
      expect(hits[1]!.score).toBeGreaterThan(hits[2]!.score);
      expect(hits[0]!.entry).toStrictEqual(inTitle);
    });

    it("searches the current version only: an update moves the entry in the index", async () => {
      const v1 = makeKnowledge(1, { title: "Backoff notes", content: "About retries." });
      const other = makeKnowledge(2, { content: "Mentions backoff in passing." });
      await context().store.commit(writes({ knowledge: [v1, other, ...fillers(10, 4)] }));
      expect(await ids({ text: "backoff" })).toStrictEqual([v1.id, other.id]);
      const v2 = nextVersion(v1, { title: "Jitter notes", content: "About jitter." });
      await context().store.commit(writes({ knowledge: [v2] }));
      expect(await ids({ text: "backoff" })).toStrictEqual([other.id]);
      const hits = await search({ text: "jitter" });
      expect(hits.map((h) => h.entry)).toStrictEqual([v2]);
      await context().reopen();
      expect(await ids({ text: "backoff" })).toStrictEqual([other.id]);
    });

    it("requires every word, matches the last as a prefix, and ignores case and punctuation", async () => {
      const grpc = makeKnowledge(1, {
        title: "gRPC deadlines",
        content: "Every call from the gateway carries a deadline.",
      });
      const node = makeKnowledge(2, {
        title: "Node.js streams",
        content: "Backpressure on writable streams.",
      });
      await context().store.commit(writes({ knowledge: [grpc, node, ...fillers(10, 4)] }));
      expect(await ids({ text: "GRPC deadlines" })).toStrictEqual([grpc.id]);
      expect(await ids({ text: "gateway dead" })).toStrictEqual([grpc.id]);
      expect(await ids({ text: "gateway streams" })).toStrictEqual([]);
      expect(await ids({ text: "node.js" })).toStrictEqual([node.id]);
      expect(await ids({ text: "  (streams)  " })).toStrictEqual([node.id]);
    });

    it("never lets user text act as query syntax", async () => {
      const entry = makeKnowledge(1, {
        title: "Near misses and operators",
        content: "Words like AND, OR, NOT and NEAR are plain words here: foo bar.",
      });
      await context().store.commit(writes({ knowledge: [entry, ...fillers(10, 3)] }));
      const hostile = [
        '"foo AND (',
        "NEAR/",
        "NEAR(foo bar)",
        "foo OR",
        "title:foo",
        "{title content}: foo",
        "foo*",
        "^foo",
        "-foo",
        "+foo",
        'foo"bar',
        "foo\u0000bar",
        "'; DROP TABLE knowledge; --",
        "é́ ё 東京 🙂 foo",
        "a".repeat(500),
      ];
      for (const text of hostile) {
        const hits = await search({ text });
        expect(Array.isArray(hits), text).toBe(true);
      }
      expect(await ids({ text: '"foo AND (' })).toStrictEqual([entry.id]);
      expect(await ids({ text: "NEAR/" })).toStrictEqual([entry.id]);
      for (const text of ["(", '"', "*", "-- ** ((", "🙂"]) {
        const error = await expectAppError(search({ text }), "invalid_argument");
        expect(error.details).toMatchObject({ field: "query" });
      }
      await expect(context().store.getKnowledge(entry.id)).resolves.toStrictEqual(entry);
    });

    it("filters by tags (every one must match), alone or with text", async () => {
      const both = makeKnowledge(1, { content: "retry the call", tags: ["grpc", "retries"] });
      const one = makeKnowledge(2, { content: "retry the job", tags: ["retries"] });
      const none = makeKnowledge(3, { content: "retry later" });
      const later = nextVersion(makeKnowledge(4, { tags: ["grpc"] }), {
        tags: ["grpc", "retries"],
      });
      await context().store.commit(
        writes({ knowledge: [both, one, none, makeKnowledge(4, { tags: ["grpc"] })] }),
      );
      await context().store.commit(writes({ knowledge: [later] }));
      // Without text: most recently updated first, score 0, the content's beginning as snippet.
      const tagged = await search({ text: null, tags: ["grpc", "retries"] });
      expect(tagged.map((h) => h.entry.id)).toStrictEqual([later.id, both.id]);
      expect(tagged.map((h) => h.score)).toStrictEqual([0, 0]);
      expect(tagged[1]!.snippet).toBe("retry the call");
      expect(await ids({ text: null, tags: ["retries"] })).toStrictEqual([
        later.id,
        one.id,
        both.id,
      ]);
      expect(await ids({ text: "call", tags: ["grpc", "retries"] })).toStrictEqual([both.id]);
      expect(await ids({ text: null, tags: ["grpc", "missing"] })).toStrictEqual([]);
      // A tag that was removed by an update no longer matches.
      const dropped = nextVersion(both, { tags: ["retries"] });
      await context().store.commit(writes({ knowledge: [dropped] }));
      expect(await ids({ text: null, tags: ["grpc"] })).toStrictEqual([later.id]);
    });

    it("filters by scope and by the project or task the entry is about", async () => {
      const global = makeKnowledge(1, { content: "cache hits" });
      const projectA = makeKnowledge(2, {
        content: "cache keys",
        scope: "project",
        scopeId: "proj_a",
      });
      const projectB = makeKnowledge(3, {
        content: "cache ttl",
        scope: "project",
        scopeId: "proj_b",
      });
      const task = makeKnowledge(4, { content: "cache miss", scope: "task", scopeId: "task_9" });
      await context().store.commit(writes({ knowledge: [global, projectA, projectB, task] }));
      const sorted = async (query: Partial<KnowledgeQuery>) =>
        (await ids({ text: "cache", ...query })).sort();
      expect(await sorted({})).toStrictEqual(["kn_1", "kn_2", "kn_3", "kn_4"]);
      expect(await sorted({ scope: "global" })).toStrictEqual(["kn_1"]);
      expect(await sorted({ scope: "project" })).toStrictEqual(["kn_2", "kn_3"]);
      expect(await sorted({ scope: "project", scopeId: "proj_b" })).toStrictEqual(["kn_3"]);
      expect(await sorted({ scope: "task", scopeId: "task_9" })).toStrictEqual(["kn_4"]);
      expect(await sorted({ scope: "task", scopeId: "proj_b" })).toStrictEqual([]);
    });

    it("gives a short plain-text snippet of the content around the match, and honours the limit", async () => {
      const long = makeKnowledge(1, {
        title: "A long note",
        content: `${"Filler words about nothing in particular. ".repeat(40)}\nThe coordinator uses a group commit.\n${"More filler after it. ".repeat(40)}`,
      });
      await context().store.commit(
        writes({
          knowledge: [
            long,
            ...Array.from({ length: 5 }, (_, i) =>
              makeKnowledge(10 + i, { content: `group commit note ${i}` }),
            ),
          ],
        }),
      );
      const hits = await search({ text: "coordinator" });
      expect(hits).toHaveLength(1);
      const snippet = hits[0]!.snippet;
      expect(snippet).toContain("coordinator");
      expect(snippet.length).toBeLessThan(300);
      expect(snippet).not.toMatch(/\s{2}|\n/);
      expect(await ids({ text: "group commit", limit: 3 })).toHaveLength(3);
      await expectAppError(search({ text: "group", limit: 0 }), "invalid_argument");
    });
  });
}
