import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError, isTerminal, type TaskRecord } from "../../src/domain/index.js";
import { emptyWriteSet, type Store, type TaskQuery } from "../../src/store/index.js";
import { expectAppError, writes } from "./contract-helpers.js";
import { defineKnowledgeContract } from "./knowledge-contract.js";
import {
  makeAgent,
  makeEvent,
  makeIdempotency,
  makeProject,
  makeRichTask,
  makeTask,
} from "./store-fixtures.js";

/** One store under test, in its own namespace (file, schema or database). */
export interface StoreHarness {
  store: Store;
  /** Closes the current store and opens a new one over the same data. */
  reopen(): Promise<Store>;
  /** Closes whatever is open and removes the namespace. */
  cleanup(): Promise<void>;
}

export type StoreFactory = () => Promise<StoreHarness>;

/** Every page of a query, checking the paging invariants on the way. */
async function pageThrough(
  store: Store,
  query: Omit<TaskQuery, "afterSeq">,
): Promise<{ seqs: number[]; totals: number[] }> {
  const seqs: number[] = [];
  const totals: number[] = [];
  let afterSeq: number | undefined;
  for (let pages = 0; pages < 1_000; pages++) {
    const page = await store.listTasks({ ...query, afterSeq });
    expect(page.tasks.length).toBeLessThanOrEqual(query.limit);
    seqs.push(...page.tasks.map((t) => t.seq));
    totals.push(page.total);
    if (page.nextAfterSeq === null) return { seqs, totals };
    expect(page.tasks).toHaveLength(query.limit);
    expect(page.nextAfterSeq).toBe(page.tasks.at(-1)?.seq);
    afterSeq = page.nextAfterSeq;
  }
  return expect.fail("pagination did not end");
}

/** Tasks spread over every status, four types, three agents and two projects; seqs with gaps. */
function listingDataset(): TaskRecord[] {
  const statuses = [
    "pending",
    "assigned",
    "in_progress",
    "completed",
    "failed",
    "blocked",
    "cancelled",
  ] as const;
  const types = ["frontend", "backend", null, "qa"] as const;
  const agents = ["frontend-1", "backend-1", null] as const;
  return Array.from({ length: 60 }, (_, i) =>
    makeTask(3 * i + 2, {
      status: statuses[i % statuses.length],
      type: types[i % types.length],
      agentId: agents[i % agents.length],
      projectId: i % 5 === 0 ? null : i % 2 === 0 ? "proj_a" : "proj_b",
    }),
  );
}

/**
 * The behaviour every Store must have. `name` labels the suite; `factory` gives each test a
 * fresh, empty store of its own.
 */
export function defineStoreContract(name: string, factory: StoreFactory): void {
  describe(`Store contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: Store;

    beforeEach(async () => {
      harness = await factory();
      store = harness.store;
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    async function reopen(): Promise<Store> {
      store = await harness.reopen();
      return store;
    }

    it("describes itself and answers ping when healthy", async () => {
      expect(store.describe()).toMatch(/^[a-z]+:.+/);
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it("starts empty", async () => {
      await expect(store.loadActive()).resolves.toStrictEqual({
        tasks: [],
        agents: [],
        maxTaskSeq: 0,
        maxProjectSeq: 0,
      });
      await expect(store.getTask("task_1")).resolves.toBeNull();
      await expect(store.getProject("proj_1")).resolves.toBeNull();
      await expect(store.getHistory("task_1")).resolves.toStrictEqual([]);
      await expect(store.countTasksByStatus()).resolves.toStrictEqual({});
      await expect(store.listTasks({ limit: 10 })).resolves.toStrictEqual({
        tasks: [],
        nextAfterSeq: null,
        total: 0,
      });
      await expect(store.listProjects({ limit: 10 })).resolves.toStrictEqual({
        projects: [],
        nextAfterSeq: null,
      });
      await expect(store.getKnowledge("kn_1")).resolves.toBeNull();
      await expect(store.listKnowledgeVersions("kn_1")).resolves.toStrictEqual([]);
      await expect(
        store.searchKnowledge({ text: "anything", tags: [], limit: 10 }),
      ).resolves.toStrictEqual([]);
      await expect(store.commit(emptyWriteSet())).resolves.toBeUndefined();
    });

    it("returns every field of a task exactly as written", async () => {
      const rich = makeRichTask(1);
      const bare = makeTask(2);
      const noop = makeTask(3, {
        action: { kind: "noop" },
        status: "completed",
        result: { output: "done", error: null },
        progress: { percent: 100, message: "", updatedAt: 5 },
        finishedAt: 9,
      });
      const nullOutput = makeTask(4, {
        status: "failed",
        result: { output: null, error: { code: "internal", message: "boom", retryable: false } },
      });
      const commandNulls = makeTask(5, {
        action: { kind: "command", argv: ["true"], cwd: null, env: {}, timeoutMs: null },
      });
      const all = [rich, bare, noop, nullOutput, commandNulls];
      await store.commit(writes({ tasks: all }));
      for (const task of all) await expect(store.getTask(task.id)).resolves.toStrictEqual(task);
      const fetched = await store.getTasks(all.map((t) => t.id));
      expect(fetched.sort((a, b) => a.seq - b.seq)).toStrictEqual(all);
    });

    it("returns projects, agents, events and idempotency records exactly as written", async () => {
      const project = makeProject(1);
      const emptyProject = makeProject(2, {
        description: "",
        requirements: "",
        techStack: {},
        metadata: {},
        template: "generic",
      });
      const agent = makeAgent(1);
      const pullAgent = makeAgent(2, {
        type: "qa",
        capabilities: [],
        executors: [],
        transport: "pull",
        address: "",
        state: "draining",
      });
      const events = [makeEvent("task_1", 0), makeEvent("task_1", 1)];
      const key = makeIdempotency("k1", 100);
      await store.commit(
        writes({
          projects: [project, emptyProject],
          tasks: [makeTask(1)],
          events,
          agents: [agent, pullAgent],
          idempotency: [key],
        }),
      );
      await expect(store.getProject(project.id)).resolves.toStrictEqual(project);
      await expect(store.getProject(emptyProject.id)).resolves.toStrictEqual(emptyProject);
      await expect(store.getHistory("task_1")).resolves.toStrictEqual(events);
      await expect(store.getIdempotency("create_tasks", "k1")).resolves.toStrictEqual(key);
      const { agents } = await store.loadActive();
      expect(agents).toStrictEqual([agent, pullAgent]);
    });

    it("keeps only the latest version of a task, agent and project (upsert, not duplicate)", async () => {
      // What a task was submitted with is written once; its state changes.
      const v1 = makeRichTask(1, { status: "pending", attempt: 0 });
      await store.commit(
        writes({ tasks: [v1], agents: [makeAgent(1)], projects: [makeProject(1)] }),
      );
      const v2 = { ...v1, status: "assigned" as const, attempt: 1 };
      const v3 = {
        ...v2,
        status: "completed" as const,
        agentId: null,
        leaseToken: null,
        result: { output: [1], error: null },
        finishedAt: 99,
      };
      // Two versions in one write set: the later one wins.
      await store.commit(
        writes({
          tasks: [v2, v3],
          agents: [makeAgent(1, { state: "offline", completedCount: 7 })],
        }),
      );
      await store.commit(writes({ projects: [makeProject(1, { name: "renamed" })] }));
      await expect(store.getTask(v1.id)).resolves.toStrictEqual(v3);
      const page = await store.listTasks({ limit: 10 });
      expect(page.total).toBe(1);
      expect(page.tasks).toStrictEqual([v3]);
      const { agents } = await store.loadActive();
      expect(agents).toStrictEqual([makeAgent(1, { state: "offline", completedCount: 7 })]);
      await expect(store.getProject("proj_1")).resolves.toStrictEqual(
        makeProject(1, { name: "renamed" }),
      );
      expect((await store.listProjects({ limit: 10 })).projects).toHaveLength(1);
    });

    it("appends events in order, across and within commits, per task", async () => {
      const a = [0, 1, 2, 3].map((n) => makeEvent("task_a", n, { reason: `a${n}` }));
      const b = [0, 1, 2].map((n) => makeEvent("task_b", n, { reason: `b${n}` }));
      await store.commit(
        writes({
          tasks: [makeTask(1, { id: "task_a" }), makeTask(2, { id: "task_b" })],
          events: [a[0]!, b[0]!, a[1]!],
        }),
      );
      await store.commit(writes({ events: [b[1]!] }));
      // Same timestamps, reversed: order is append order, not time.
      await store.commit(
        writes({
          events: [
            { ...a[2]!, at: 1 },
            { ...b[2]!, at: 1 },
            { ...a[3]!, at: 0 },
          ],
        }),
      );
      await expect(store.getHistory("task_a")).resolves.toStrictEqual([
        a[0],
        a[1],
        { ...a[2]!, at: 1 },
        { ...a[3]!, at: 0 },
      ]);
      await expect(store.getHistory("task_b")).resolves.toStrictEqual([
        b[0],
        b[1],
        { ...b[2]!, at: 1 },
      ]);
      await expect(store.getHistory("task_c")).resolves.toStrictEqual([]);
    });

    it("refuses history for a task that was never written, and rolls back the whole commit", async () => {
      const error = await store
        .commit(writes({ tasks: [makeTask(1)], events: [makeEvent("task_ghost", 0)] }))
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(AppError);
      await expect(store.getTask(makeTask(1).id)).resolves.toBeNull();
    });

    describe("listTasks", () => {
      let data: TaskRecord[];

      beforeEach(async () => {
        data = listingDataset();
        // Written out of seq order, in two commits, so order must come from seq.
        await store.commit(writes({ tasks: data.slice(30).reverse() }));
        await store.commit(writes({ tasks: data.slice(0, 30) }));
      });

      const queries: [string, Omit<TaskQuery, "limit" | "afterSeq">][] = [
        ["no filter", {}],
        ["empty status list (means all)", { statuses: [] }],
        ["one status", { statuses: ["pending"] }],
        ["several statuses", { statuses: ["completed", "failed", "cancelled"] }],
        ["a repeated status", { statuses: ["blocked", "blocked"] }],
        ["type", { type: "frontend" }],
        ["agent", { agentId: "backend-1" }],
        ["project", { projectId: "proj_a" }],
        ["status and project", { statuses: ["pending", "assigned"], projectId: "proj_b" }],
        [
          "every filter",
          {
            statuses: ["pending", "completed", "in_progress"],
            type: "backend",
            agentId: "backend-1",
            projectId: "proj_a",
          },
        ],
        [
          "nothing matches",
          { statuses: ["completed"], type: "qa", agentId: "frontend-1", projectId: "proj_zzz" },
        ],
      ];

      for (const [label, filters] of queries) {
        it(`filters by ${label}, pages by seq and counts the total`, async () => {
          const expected = data
            .filter((t) => !filters.statuses?.length || filters.statuses.includes(t.status))
            .filter((t) => filters.type === undefined || t.type === filters.type)
            .filter((t) => filters.agentId === undefined || t.agentId === filters.agentId)
            .filter((t) => filters.projectId === undefined || t.projectId === filters.projectId)
            .map((t) => t.seq)
            .sort((x, y) => x - y);
          for (const limit of [1, 4, 7, 1_000]) {
            const { seqs, totals } = await pageThrough(store, { ...filters, limit });
            expect(seqs).toStrictEqual(expected);
            expect(new Set(totals)).toStrictEqual(new Set([expected.length]));
            expect(totals).toHaveLength(Math.max(1, Math.ceil(expected.length / limit)));
          }
        });
      }

      it("returns whole records, and no next page when the last page is exactly full", async () => {
        const blocked = data.filter((t) => t.status === "blocked");
        const page = await store.listTasks({ statuses: ["blocked"], limit: blocked.length });
        expect(page).toStrictEqual({ tasks: blocked, nextAfterSeq: null, total: blocked.length });
      });

      it("starts after any seq, not only one it returned, and still counts every match", async () => {
        const page = await store.listTasks({ limit: 3, afterSeq: 10 });
        expect(page.tasks.map((t) => t.seq)).toStrictEqual([11, 14, 17]);
        expect(page.total).toBe(data.length);
        expect(page.nextAfterSeq).toBe(17);
        const end = await store.listTasks({ limit: 3, afterSeq: 10_000 });
        expect(end).toStrictEqual({ tasks: [], nextAfterSeq: null, total: data.length });
      });

      it("refuses a limit below 1 or not whole", async () => {
        await expectAppError(store.listTasks({ limit: 0 }), "invalid_argument");
        await expectAppError(store.listTasks({ limit: 2.5 }), "invalid_argument");
        await expectAppError(store.listProjects({ limit: 0 }), "invalid_argument");
      });

      it("counts tasks by status, over all tasks and per project", async () => {
        const count = (tasks: TaskRecord[]) => {
          const counts: Record<string, number> = {};
          for (const t of tasks) counts[t.status] = (counts[t.status] ?? 0) + 1;
          return counts;
        };
        await expect(store.countTasksByStatus()).resolves.toStrictEqual(count(data));
        await expect(store.countTasksByStatus("proj_a")).resolves.toStrictEqual(
          count(data.filter((t) => t.projectId === "proj_a")),
        );
        await expect(store.countTasksByStatus("proj_none")).resolves.toStrictEqual({});
      });
    });

    it("loads only non-terminal tasks in seq order, every agent, and the highest seqs", async () => {
      const tasks = [
        makeTask(5, { status: "blocked" }),
        makeTask(1, { status: "completed" }),
        makeTask(3, { status: "assigned", agentId: "backend-1" }),
        makeTask(2, { status: "pending" }),
        makeTask(9, { status: "failed" }),
        makeTask(4, { status: "in_progress", agentId: "backend-1" }),
        makeTask(7, { status: "cancelled" }),
      ];
      const agents = [makeAgent(2), makeAgent(1, { state: "offline" })];
      await store.commit(writes({ tasks, agents, projects: [makeProject(4), makeProject(11)] }));
      const active = await store.loadActive();
      expect(active.tasks.map((t) => t.seq)).toStrictEqual([2, 3, 4, 5]);
      expect(active.tasks.every((t) => !isTerminal(t.status))).toBe(true);
      expect(active.tasks[1]).toStrictEqual(tasks[2]);
      expect([...active.agents].sort((a, b) => a.id.localeCompare(b.id))).toStrictEqual([
        agents[1],
        agents[0],
      ]);
      expect(active.maxTaskSeq).toBe(9);
      expect(active.maxProjectSeq).toBe(11);
    });

    it("pages projects by seq", async () => {
      const projects = [10, 2, 7, 4, 13, 1, 8].map((seq) => makeProject(seq));
      await store.commit(writes({ projects }));
      const sorted = [...projects].sort((a, b) => a.seq - b.seq);
      const first = await store.listProjects({ limit: 3 });
      expect(first).toStrictEqual({ projects: sorted.slice(0, 3), nextAfterSeq: 4 });
      const second = await store.listProjects({ limit: 3, afterSeq: 4 });
      expect(second).toStrictEqual({ projects: sorted.slice(3, 6), nextAfterSeq: 10 });
      const last = await store.listProjects({ limit: 3, afterSeq: 10 });
      expect(last).toStrictEqual({ projects: sorted.slice(6), nextAfterSeq: null });
      await expect(store.listProjects({ limit: 7 })).resolves.toStrictEqual({
        projects: sorted,
        nextAfterSeq: null,
      });
    });

    it("stores idempotency keys per scope and forgets those created before a time", async () => {
      const old = makeIdempotency("old", 100);
      const edge = makeIdempotency("edge", 200);
      const fresh = makeIdempotency("fresh", 300);
      const otherScope = makeIdempotency("old", 150, {
        scope: "create_project",
        fingerprint: "other",
      });
      await store.commit(writes({ idempotency: [old, edge, fresh, otherScope] }));
      await expect(store.getIdempotency("create_tasks", "old")).resolves.toStrictEqual(old);
      await expect(store.getIdempotency("create_project", "old")).resolves.toStrictEqual(
        otherScope,
      );
      await expect(store.getIdempotency("create_tasks", "missing")).resolves.toBeNull();
      // Strictly before: the key created at 200 stays.
      await expect(store.deleteIdempotencyBefore(200)).resolves.toBe(2);
      await expect(store.getIdempotency("create_tasks", "old")).resolves.toBeNull();
      await expect(store.getIdempotency("create_project", "old")).resolves.toBeNull();
      await expect(store.getIdempotency("create_tasks", "edge")).resolves.toStrictEqual(edge);
      await expect(store.deleteIdempotencyBefore(200)).resolves.toBe(0);
      // The coordinator decides what a key maps to; the store keeps the latest it was given.
      const replaced = makeIdempotency("fresh", 400, { fingerprint: "new", response: "{}" });
      await store.commit(writes({ idempotency: [replaced] }));
      await expect(store.getIdempotency("create_tasks", "fresh")).resolves.toStrictEqual(replaced);
    });

    it("keeps everything committed across close and reopen, and reopening twice changes nothing", async () => {
      const task = makeRichTask(1);
      const done = makeTask(2, { status: "completed" });
      const events = [makeEvent(task.id, 0), makeEvent(task.id, 1)];
      const project = makeProject(3);
      const agent = makeAgent(1);
      const key = makeIdempotency("k", 5);
      await store.commit(
        writes({
          projects: [project],
          tasks: [task, done],
          events,
          agents: [agent],
          idempotency: [key],
        }),
      );
      for (let round = 0; round < 2; round++) {
        await reopen();
        await expect(store.getTask(task.id)).resolves.toStrictEqual(task);
        await expect(store.getHistory(task.id)).resolves.toStrictEqual(events);
        await expect(store.getProject(project.id)).resolves.toStrictEqual(project);
        await expect(store.getIdempotency(key.scope, key.key)).resolves.toStrictEqual(key);
        await expect(store.loadActive()).resolves.toStrictEqual({
          tasks: [task],
          agents: [agent],
          maxTaskSeq: 2,
          maxProjectSeq: 3,
        });
      }
      await store.commit(writes({ tasks: [makeTask(3)] }));
      await expect(store.countTasksByStatus()).resolves.toStrictEqual({
        in_progress: 1,
        completed: 1,
        pending: 1,
      });
    });

    it("applies nothing of a write set in which one statement fails, and keeps working", async () => {
      const before = makeTask(1);
      await store.commit(
        writes({ tasks: [before], agents: [makeAgent(1)], events: [makeEvent(before.id, 0)] }),
      );
      const failing = writes({
        projects: [makeProject(1)],
        tasks: [
          { ...before, status: "assigned", agentId: "backend-1" },
          makeTask(2),
          // A different task with a seq already taken in this same write set.
          makeTask(2, { id: "task_clash" }),
        ],
        events: [makeEvent(before.id, 1), makeEvent("task_2", 0)],
        agents: [makeAgent(1, { state: "offline" }), makeAgent(2)],
        idempotency: [makeIdempotency("k", 1)],
      });
      await expectAppError(store.commit(failing));
      await expect(store.getTask(before.id)).resolves.toStrictEqual(before);
      await expect(store.getTask("task_2")).resolves.toBeNull();
      await expect(store.getTask("task_clash")).resolves.toBeNull();
      await expect(store.getProject("proj_1")).resolves.toBeNull();
      await expect(store.getHistory(before.id)).resolves.toStrictEqual([makeEvent(before.id, 0)]);
      await expect(store.getHistory("task_2")).resolves.toStrictEqual([]);
      await expect(store.getIdempotency("create_tasks", "k")).resolves.toBeNull();
      await expect(store.loadActive()).resolves.toStrictEqual({
        tasks: [before],
        agents: [makeAgent(1)],
        maxTaskSeq: 1,
        maxProjectSeq: 0,
      });

      // A new task reusing the seq of a stored one fails the same way.
      await expectAppError(
        store.commit(
          writes({
            tasks: [makeTask(1, { id: "task_other" })],
            events: [makeEvent("task_other", 0)],
          }),
        ),
      );
      await expect(store.getTask("task_other")).resolves.toBeNull();
      await expect(store.getHistory("task_other")).resolves.toStrictEqual([]);

      await store.commit(writes({ tasks: [makeTask(2)] }));
      await expect(store.getTask("task_2")).resolves.toStrictEqual(makeTask(2));
      await reopen();
      await expect(store.listTasks({ limit: 10 })).resolves.toMatchObject({
        total: 2,
        nextAfterSeq: null,
      });
    });

    it("fetches large id lists, ignoring unknown and repeated ids", async () => {
      const tasks = Array.from({ length: 2_500 }, (_, i) => makeTask(i + 1));
      await store.commit(writes({ tasks }));
      const ids = [...tasks.map((t) => t.id), "task_missing", tasks[0]!.id, tasks[1_999]!.id];
      const found = await store.getTasks(ids);
      expect(found).toHaveLength(tasks.length);
      expect(found.sort((a, b) => a.seq - b.seq)).toStrictEqual(tasks);
      const some = await store.getTasks(["task_7", "task_missing", "task_7", "task_2500"]);
      expect(some.map((t) => t.seq).sort((a, b) => a - b)).toStrictEqual([7, 2500]);
      // More ids than SQLite (32766) or PostgreSQL (65535) accept as parameters of one statement.
      const many = [...Array.from({ length: 70_000 }, (_, i) => `task_missing_${i}`), "task_9"];
      expect((await store.getTasks(many)).map((t) => t.id)).toStrictEqual(["task_9"]);
      await expect(store.getTasks([])).resolves.toStrictEqual([]);
      await expect(store.getTasks(["nope"])).resolves.toStrictEqual([]);
    });

    defineKnowledgeContract(() => ({ store, reopen }));

    it("closes idempotently and refuses work once closed", async () => {
      await store.close();
      await store.close();
      await expectAppError(store.ping(), "unavailable");
      await expectAppError(store.commit(writes({ tasks: [makeTask(1)] })), "unavailable");
      await expectAppError(store.getTask("task_1"), "unavailable");
    });
  });
}
