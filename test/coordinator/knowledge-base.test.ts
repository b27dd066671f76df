import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { settingsFromConfig } from "../../src/coordinator/coordinator-settings.js";
import { CoordinatorState } from "../../src/coordinator/coordinator-state.js";
import { GroupCommitter } from "../../src/coordinator/group-committer.js";
import { KnowledgeBase } from "../../src/coordinator/index.js";
import type { KnowledgeEntryRecord, KnowledgePublishSpec } from "../../src/domain/index.js";
import { SqliteStore } from "../../src/store/index.js";
import { tempDir } from "../helpers/temp-dir.js";
import { testConfig } from "../helpers/test-config.js";

const NOTE: KnowledgePublishSpec = {
  title: "Backoff",
  content: "Double the delay after each failure.",
  tags: ["retries"],
  author: "alice",
  scope: "global",
  scopeId: null,
};

/** The knowledge base on a real store and group commit, without the gRPC layer. */
describe("KnowledgeBase listeners", () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteStore;
  let committer: GroupCommitter;
  let knowledge: KnowledgeBase;
  const fatal: unknown[] = [];

  beforeEach(async () => {
    dir = tempDir("mcp-knowledge-");
    store = await SqliteStore.open({ path: `${dir.path}/mcp.db` });
    committer = new GroupCommitter(store, (error) => fatal.push(error));
    const state = new CoordinatorState(
      settingsFromConfig(testConfig(dir.path)),
      store,
      committer,
      pino({ level: "silent" }),
      () => undefined,
    );
    knowledge = new KnowledgeBase(state);
  });

  afterEach(async () => {
    await committer.close();
    await store.close();
    dir.remove();
    expect(fatal).toStrictEqual([]);
  });

  it("are told of every version once it is durable, new or not, in commit order", async () => {
    const calls: Array<{ entry: KnowledgeEntryRecord; isNew: boolean }> = [];
    // SQLite answers at the call: what the listener sees stored is what was durable then.
    const storedWhenTold: Array<Promise<KnowledgeEntryRecord | null>> = [];
    knowledge.onPublished((entry, isNew) => {
      calls.push({ entry, isNew });
      storedWhenTold.push(store.getKnowledge(entry.id));
    });
    const v1 = await knowledge.publish(NOTE);
    const v2 = await knowledge.update({
      ...NOTE,
      id: v1.id,
      expectedVersion: 1,
      title: "Backoff, capped",
    });
    const other = await knowledge.publish({ ...NOTE, title: "Jitter" });
    expect(calls).toStrictEqual([
      { entry: v1, isNew: true },
      { entry: v2, isNew: false },
      { entry: other, isNew: true },
    ]);
    expect(await Promise.all(storedWhenTold)).toStrictEqual([v1, v2, other]);
  });

  it("keep being told when one of them throws, and stop when they unsubscribe", async () => {
    const seen: string[] = [];
    knowledge.onPublished(() => {
      throw new Error("listener bug");
    });
    const stop = knowledge.onPublished((entry) => seen.push(entry.title));
    const first = await knowledge.publish(NOTE);
    expect(first.version).toBe(1);
    stop();
    await knowledge.publish({ ...NOTE, title: "Unheard" });
    expect(seen).toStrictEqual(["Backoff"]);
  });

  it("are not told of a refused update", async () => {
    const entry = await knowledge.publish(NOTE);
    const told: number[] = [];
    knowledge.onPublished((e) => told.push(e.version));
    await expect(
      knowledge.update({ ...NOTE, id: entry.id, expectedVersion: 7 }),
    ).rejects.toMatchObject({ code: "failed_precondition" });
    await expect(
      knowledge.update({ ...NOTE, id: "kn_missing", expectedVersion: null }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    expect(told).toStrictEqual([]);
  });
});
