import { afterEach, describe, expect, it } from "vitest";
import { EventServiceClient, EventTopic, type Event } from "../../src/gen/mcp/v1/events.js";
import { AgentType } from "../../src/gen/mcp/v1/task.js";
import { CLIENT_OPTIONS, insecure } from "../../src/rpc/index.js";
import { eventually } from "../cli/cli-process.js";
import {
  type CoordinatorHarness,
  startCoordinatorHarness,
} from "../helpers/coordinator-harness.js";
import { dataOf, EventWatch } from "../helpers/event-watch.js";
import { freeform } from "../helpers/wire-builders.js";

let h: CoordinatorHarness | undefined;
const watches: EventWatch[] = [];

async function start(overrides: Record<string, string> = {}): Promise<CoordinatorHarness> {
  h = await startCoordinatorHarness(overrides);
  return h;
}

async function watch(
  request: Parameters<typeof EventWatch.open>[1] = {},
  shared?: EventServiceClient,
) {
  const w = await EventWatch.open(h!.address, request, shared);
  watches.push(w);
  return w;
}

afterEach(async () => {
  for (const w of watches.splice(0)) w.close();
  await h?.close();
  h = undefined;
});

async function registerWorker(name: string): Promise<string> {
  const r = await h!.client.registerWorker({
    name,
    type: AgentType.AGENT_TYPE_BACKEND,
    capabilities: [],
    executors: [],
    maxConcurrency: 1,
    agentId: "",
  });
  return r.agent!.id;
}

/** "from>to" of each task transition received for `taskId`. */
function transitionsOf(events: Event[], taskId: string): string[] {
  return events
    .filter((e) => e.type === "task.transition" && e.taskId === taskId)
    .map((e) => {
      const data = dataOf(e);
      return `${String(data.from)}>${String(data.to)}`;
    });
}

/** The coordinator's metric `name` (a sample without labels). */
async function metric(name: string): Promise<number> {
  const { text } = await h!.client.getMetrics({});
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.slice(name.length + 1));
}

describe("EventService.Watch", () => {
  it("sends a task's transitions in order, with who, why, which attempt and which agent", async () => {
    await start();
    const w = await watch();
    const created = await h!.client.createTasks({
      tasks: [freeform("Implement user authentication")],
      idempotencyKey: "",
    });
    const taskId = created.tasks[0]!.id;
    const worker = await registerWorker("alice");
    const claim = await h!.client.claimTask({ agentId: worker, waitMs: 0 });
    const token = claim.lease!.token;
    await h!.client.reportProgress({ taskId, leaseToken: token, percent: 50, message: "half" });
    await h!.client.completeTask({ taskId, leaseToken: token, outputJson: "{}" });

    await w.until(
      (events) => transitionsOf(events, taskId).length === 4,
      "four transitions of the task",
    );
    expect(transitionsOf(w.events, taskId)).toEqual([
      "null>pending",
      "pending>assigned",
      "assigned>in_progress",
      "in_progress>completed",
    ]);
    const seqs = w.received.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);

    const ofTask = w.events.filter((e) => e.taskId === taskId);
    const [pending, assigned, , completed] = ofTask;
    expect(pending?.topic).toBe(EventTopic.EVENT_TOPIC_TASK);
    expect(pending?.agentId).toBe("");
    expect(dataOf(pending!)).toMatchObject({
      actor: "client",
      attempt: 0,
      title: "Implement user authentication",
      task_type: "backend",
      priority: "medium",
    });
    expect(assigned?.agentId).toBe(worker);
    expect(dataOf(assigned!)).toMatchObject({ actor: "coordinator", attempt: 1 });
    expect(String(dataOf(assigned!).reason)).toContain(worker);
    expect(completed?.agentId).toBe(worker);
    expect(dataOf(completed!)).toMatchObject({ actor: worker, attempt: 1 });
    expect(completed!.atMs).toBeGreaterThanOrEqual(pending!.atMs);

    const registered = w.events.find((e) => e.type === "agent.registered");
    expect(registered?.topic).toBe(EventTopic.EVENT_TOPIC_AGENT);
    expect(registered?.agentId).toBe(worker);
    expect(dataOf(registered!)).toMatchObject({
      name: "alice",
      agent_type: "backend",
      state: "online",
      transport: "pull",
      load: 0,
      max_concurrency: 1,
    });
  });

  it("sends agent state changes: a worker deregistered goes offline, and online when it calls again", async () => {
    await start();
    const w = await watch({ topics: [EventTopic.EVENT_TOPIC_AGENT] });
    const worker = await registerWorker("bob");
    await h!.client.deregisterWorker({ agentId: worker });
    await h!.client.workerHeartbeat({ agentId: worker });
    await w.until((events) => events.length >= 4, "three agent events");
    expect(w.events.map((e) => `${e.type}:${e.agentId}`)).toEqual([
      `agent.registered:${worker}`,
      `agent.offline:${worker}`,
      `agent.online:${worker}`,
    ]);
  });

  it("sends an agent process's registration, drain and disconnection", async () => {
    await start();
    const w = await watch({ topics: [EventTopic.EVENT_TOPIC_AGENT] });
    const stream = h!.raw.connect();
    stream.on("error", () => undefined);
    stream.write({
      messages: [
        {
          kind: {
            $case: "register",
            value: {
              agentId: "backend-9",
              name: "backend-9",
              type: AgentType.AGENT_TYPE_BACKEND,
              capabilities: [],
              executors: ["command"],
              maxConcurrency: 4,
              address: "",
              host: "test",
              pid: process.pid,
              held: [],
            },
          },
        },
      ],
    });
    await w.until((events) => events.length >= 2, "the registration");
    stream.write({ messages: [{ kind: { $case: "drain", value: {} } }] });
    await w.until((events) => events.length >= 3, "the drain");
    stream.end();
    await w.until((events) => events.length >= 4, "the disconnection");
    expect(w.events.map((e) => `${e.type}:${e.agentId}`)).toEqual([
      "agent.registered:backend-9",
      "agent.draining:backend-9",
      "agent.offline:backend-9",
    ]);
    expect(dataOf(w.events[0]!)).toMatchObject({
      transport: "stream",
      state: "online",
      max_concurrency: 4,
    });
  });

  it("filters by topic and by project", async () => {
    await start();
    const project = await h!.client.createProject({
      project: {
        name: "Events",
        description: "",
        requirements: "",
        techStack: {},
        priority: 0,
        template: "generic",
        metadataJson: "",
      },
      idempotencyKey: "",
    });
    const projectId = project.project!.id;
    const byProject = await watch({ projectId });
    const agentsOnly = await watch({ topics: [EventTopic.EVENT_TOPIC_AGENT] });
    const tasksOnly = await watch({
      topics: [EventTopic.EVENT_TOPIC_TASK, EventTopic.EVENT_TOPIC_TASK],
    });

    const outside = await h!.client.createTasks({
      tasks: [freeform("outside")],
      idempotencyKey: "",
    });
    await registerWorker("carol");
    const inside = await h!.client.createTasks({
      tasks: [freeform("inside 1", { projectId }), freeform("inside 2", { projectId })],
      idempotencyKey: "",
    });

    await byProject.until((e) => e.length >= 3, "the two tasks of the project");
    await tasksOnly.until((e) => e.length >= 4, "the three tasks");
    await agentsOnly.until((e) => e.length >= 2, "the worker");
    expect(byProject.events.map((e) => e.taskId)).toEqual(inside.tasks.map((t) => t.id));
    expect(byProject.events.every((e) => e.projectId === projectId)).toBe(true);
    expect(tasksOnly.events.map((e) => e.taskId)).toEqual([
      outside.tasks[0]!.id,
      ...inside.tasks.map((t) => t.id),
    ]);
    expect(agentsOnly.events.map((e) => e.type)).toEqual(["agent.registered"]);
    expect(dataOf(tasksOnly.received[0]!)).toMatchObject({ topics: ["task"] });
  });

  it("refuses unknown topics and overlong ids, naming the field", async () => {
    await start();
    const refused = async (request: Parameters<typeof EventWatch.open>[1]) => {
      const error = await EventWatch.open(h!.address, request).then(
        (w) => {
          w.close();
          return null;
        },
        (e: unknown) => e as Error,
      );
      return error?.message ?? "";
    };
    expect(await refused({ topics: [EventTopic.EVENT_TOPIC_SYSTEM] })).toContain(
      "topics[0] must be one of task, agent, message, knowledge",
    );
    expect(await refused({ topics: [EventTopic.EVENT_TOPIC_TASK, 42 as EventTopic] })).toContain(
      "topics[1]",
    );
    expect(await refused({ taskId: "x".repeat(201) })).toContain(
      "task_id must be at most 200 characters",
    );
  });

  /**
   * Creates tasks in batches of 100, waiting after each until `reader` has every event so far
   * (it keeps up), until `done()` holds. Returns the ids created.
   */
  async function fillUntil(reader: EventWatch, done: () => Promise<boolean>): Promise<string[]> {
    const ids: string[] = [];
    for (let batch = 0; batch < 40 && !(await done()); batch += 1) {
      const created = await h!.client.createTasks({
        tasks: Array.from({ length: 100 }, (_, j) => freeform(`fill ${batch}-${j}`)),
        idempotencyKey: "",
      });
      ids.push(...created.tasks.map((t) => t.id));
      await reader.until((events) => events.length > ids.length, "the reader to keep up");
    }
    return ids;
  }

  it("keeps a watcher that stops reading from holding back another on the same connection, and tells it what it lost", async () => {
    await start({ "events-queue-limit": "100", "events-stall-timeout-ms": "120000" });
    const shared = new EventServiceClient(h!.address, insecure(), {
      ...CLIENT_OPTIONS,
      "grpc.use_local_subchannel_pool": 1,
    });
    try {
      const stuck = await watch({ topics: [EventTopic.EVENT_TOPIC_TASK] }, shared);
      const reader = await watch({ topics: [EventTopic.EVENT_TOPIC_TASK] }, shared);
      stuck.call.pause();

      // Until the stuck call's HTTP/2 window, its buffers and its bus queue are full.
      const filled = await fillUntil(
        reader,
        async () => (await metric("mcp_events_dropped_total")) > 0,
      );
      expect(await metric("mcp_events_dropped_total")).toBeGreaterThan(0);
      const droppedBefore = await metric("mcp_events_dropped_total");

      // A burst of 300 transitions in one commit: the reader gets them all, the stuck one none.
      const burst = await h!.client.createTasks({
        tasks: Array.from({ length: 300 }, (_, j) => freeform(`burst ${j}`)),
        idempotencyKey: "",
      });
      const ids = [...filled, ...burst.tasks.map((t) => t.id)];
      await reader.until((events) => events.length > ids.length, "every event of the burst");
      expect(reader.events.map((e) => e.taskId)).toEqual(ids);
      expect(reader.received.some((e) => e.type === "lagged")).toBe(false);
      expect(await metric("mcp_events_dropped_total")).toBe(droppedBefore + 300);
      // A unary call on the same connection goes through too.
      expect((await h!.client.getSystemStatus({})).agentsTotal).toBe(0);

      stuck.call.resume();
      await stuck.until((events) => events.some((e) => e.type === "lagged"), "the lagged notice");
      const laggedAt = stuck.received.findIndex((e) => e.type === "lagged");
      const lagged = stuck.received[laggedAt]!;
      const before = stuck.received.slice(1, laggedAt);
      const dropped = Number(dataOf(lagged).dropped);
      // What it got is the start, in order; the notice counts all the rest.
      expect(before.map((e) => e.taskId)).toEqual(ids.slice(0, before.length));
      expect(before.length + dropped).toBe(ids.length);
      expect(lagged.seq).toBe(reader.events.at(-1)!.seq);

      // Live again: the next event comes right after the notice.
      const next = await h!.client.createTasks({ tasks: [freeform("after")], idempotencyKey: "" });
      await stuck.until((events) => events.length > laggedAt + 1, "an event after the notice");
      expect(stuck.received[laggedAt + 1]?.taskId).toBe(next.tasks[0]!.id);
    } finally {
      shared.close();
    }
  });

  it("disconnects a watcher stalled past the stall timeout, saying why, and only that one", async () => {
    await start({ "events-queue-limit": "100", "events-stall-timeout-ms": "1000" });
    const stuck = await watch();
    const reader = await watch();
    stuck.call.pause();
    const ids = await fillUntil(
      reader,
      async () => (await metric("mcp_event_watchers_disconnected_total")) === 1,
    );
    await eventually(
      async () =>
        (await metric("mcp_event_watchers_disconnected_total")) === 1 ? true : undefined,
      "the stuck watcher disconnected",
    );
    expect(await metric("mcp_event_watchers")).toBe(1);
    stuck.call.resume();
    const error = await stuck.end();
    expect(error?.code).toBe("resource_exhausted");
    expect(error?.message).toContain("read nothing for 1000 ms");
    expect(reader.events.map((e) => e.taskId)).toEqual(ids);
    expect(reader.ended).toBeUndefined();
  });

  it("ends every watch with unavailable when the coordinator stops", async () => {
    await start();
    const w = await watch();
    await h!.coordinator.close();
    const error = await w.end();
    expect(error?.code).toBe("unavailable");
    expect(error?.message).toContain("the coordinator is shutting down");
  });
});
