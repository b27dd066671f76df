import { afterEach, describe, expect, it } from "vitest";
import { eventually } from "../cli/cli-process.js";
import { EventSocketClient } from "./event-socket-client.js";
import {
  freePort,
  type OpenApiDocument,
  ResponseChecker,
  TestGateway,
  TestSystem,
  testConfig,
} from "./gateway-harness.js";

let system: TestSystem | undefined;
const clients: EventSocketClient[] = [];

async function connect(query = ""): Promise<EventSocketClient> {
  const client = await EventSocketClient.connect(system!.gateway.url, query);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await system?.close();
  system = undefined;
});

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await system!.request("POST", path, { body });
  expect(res.status, `${path} ${res.text}`).toBeLessThan(300);
  return res.json as Record<string, unknown>;
}

/**
 * Creates tasks over REST in batches of 300 with long titles (big events), waiting after each
 * batch until `reader` has every event so far, until `done()` holds. Returns the ids in order.
 */
async function fillUntil(
  reader: EventSocketClient,
  done: () => Promise<boolean>,
  ids: string[] = [],
): Promise<string[]> {
  for (let batch = 0; !(await done()); batch += 1) {
    expect(batch, "batches created before the condition held").toBeLessThan(100);
    await createBatch(ids, `fill ${batch}`, 300);
    await reader.until((m) => m.length > ids.length, "the reader to keep up");
  }
  return ids;
}

/** Creates `count` tasks in one request; appends their ids to `ids`. */
async function createBatch(ids: string[], label: string, count: number): Promise<void> {
  const res = (await post("/api/v1/tasks/batch", {
    tasks: Array.from({ length: count }, (_, i) => ({
      title: `${label} ${i} `.padEnd(500, "."),
      type: "qa",
    })),
  })) as { tasks: Array<{ id: string }> };
  ids.push(...res.tasks.map((t) => t.id));
}

/** The coordinator's metric `name` (a sample without labels), read through GET /metrics. */
async function metric(name: string): Promise<number> {
  const text = (await system!.request("GET", "/metrics")).text;
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.slice(name.length + 1));
}

describe("GET /api/v1/events (WebSocket)", () => {
  it("streams a task's transitions, created and worked over REST, as documented JSON; filters apply", async () => {
    system = await TestSystem.start();
    const checker = new ResponseChecker(
      (await system.request("GET", "/openapi.json")).json as OpenApiDocument,
    );
    const project = await post("/api/v1/projects", { name: "Watched", template: "generic" });
    const projectId = project.id as string;
    const tasks = await connect("?topics=task");
    const agents = await connect("?topics=agent");
    const ofProject = await connect(`?project_id=${projectId}&topics=task,agent`);

    await post("/api/v1/tasks", { title: "elsewhere", type: "qa" });
    const task = await post("/api/v1/tasks", {
      title: "Implement user authentication",
      type: "backend",
      project_id: projectId,
    });
    const worker = (await post("/api/v1/workers", { name: "alice", type: "backend" })).agent as {
      id: string;
    };
    const claim = (await post(`/api/v1/workers/${worker.id}/claim`, { wait_ms: 0 })) as {
      lease: { token: string };
    };
    await post(`/api/v1/tasks/${task.id as string}/progress`, {
      lease_token: claim.lease.token,
      percent: 50,
    });
    await post(`/api/v1/tasks/${task.id as string}/complete`, {
      lease_token: claim.lease.token,
      output: { done: true },
    });

    const transitions = (client: EventSocketClient) =>
      client.events
        .filter((m) => m.task_id === task.id)
        .map((m) => `${String(m.data.from)}>${String(m.data.to)}`);
    await tasks.until(() => transitions(tasks).length === 4, "the task's four transitions");
    expect(transitions(tasks)).toEqual([
      "null>pending",
      "pending>assigned",
      "assigned>in_progress",
      "in_progress>completed",
    ]);
    const completed = tasks.events.at(-1)!;
    expect(completed).toMatchObject({
      topic: "task",
      type: "task.transition",
      project_id: projectId,
      task_id: task.id,
      agent_id: worker.id,
      data: { from: "in_progress", to: "completed", actor: worker.id, attempt: 1 },
    });
    expect(Date.parse(completed.at)).toBeGreaterThan(0);
    expect(tasks.events.some((m) => m.data.title === "elsewhere")).toBe(true);
    for (const message of tasks.received)
      expect(checker.errors("GET", "/api/v1/events", 101, message)).toEqual([]);

    await agents.until((m) => m.length >= 2, "the worker's registration");
    expect(agents.events.map((m) => [m.type, m.agent_id])).toEqual([
      ["agent.registered", worker.id],
    ]);
    expect(agents.events[0]?.data).toMatchObject({ name: "alice", agent_type: "backend" });

    // The project's planned task, then the four transitions of the task in it: nothing else.
    await ofProject.until(() => transitions(ofProject).length === 4, "the project's events");
    expect(ofProject.events.every((m) => m.project_id === projectId)).toBe(true);
    expect(ofProject.events.some((m) => m.data.title === "elsewhere")).toBe(false);
    expect(ofProject.received[0]?.data).toMatchObject({
      topics: ["task", "agent"],
      project_id: projectId,
    });
  });

  it("refuses a bad filter before the upgrade, naming it, and a plain GET with 426", async () => {
    system = await TestSystem.start();
    const url = system.gateway.url;
    const badTopic = await EventSocketClient.refused(url, "?topics=task,bogus");
    expect(badTopic.status).toBe(400);
    expect(badTopic.body).toMatchObject({
      error: {
        code: "invalid_argument",
        details: { field: "query.topics", topic: "bogus" },
      },
    });
    expect((badTopic.body as { error: { message: string } }).error.message).toContain(
      'must be a comma-separated list of task, agent, message, knowledge: "bogus" is none of them',
    );

    const unknownParameter = await EventSocketClient.refused(url, "?topic=task");
    expect(unknownParameter.status).toBe(400);
    expect(unknownParameter.body).toMatchObject({ error: { code: "invalid_argument" } });

    const longId = await EventSocketClient.refused(url, `?task_id=${"x".repeat(201)}`);
    expect(longId.status).toBe(400);

    const plain = await system.request("GET", "/api/v1/events");
    expect(plain.status).toBe(426);
    expect(plain.headers.get("upgrade")).toBe("websocket");
    expect(plain.json).toMatchObject({
      error: { code: "invalid_argument", details: { field: "headers.upgrade" } },
    });
  });

  it("answers 503 naming the coordinator when it cannot be reached, before the upgrade", async () => {
    const port = await freePort();
    const gateway = await TestGateway.start(await testConfig({ coordinatorPort: port }));
    try {
      const refused = await EventSocketClient.refused(gateway.url, "");
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({
        error: { code: "unavailable", details: { service: "coordinator" } },
      });
      expect((refused.body as { error: { message: string } }).error.message).toContain(
        `coordinator at 127.0.0.1:${port}`,
      );
    } finally {
      await gateway.close();
    }
  });

  it("closes sockets with 1012 and a reason when the coordinator goes away", async () => {
    system = await TestSystem.start();
    const client = await connect();
    await system.stopCoordinator();
    const closed = await client.closedWith();
    expect(closed.code).toBe(1012);
    expect(closed.reason).toContain("the coordinator went away; reconnect");
  });

  it("closes sockets with 1001 when the gateway stops", async () => {
    system = await TestSystem.start();
    const client = await connect();
    await system.gateway.close();
    const closed = await client.closedWith();
    expect(closed).toEqual({ code: 1001, reason: "the gateway is shutting down" });
  });

  it("lets a client that stops reading fall behind alone: another receives every event of a burst meanwhile", async () => {
    system = await TestSystem.start({ events: { stallTimeoutMs: 120_000 } });
    const stuck = await connect("?topics=task");
    const reader = await connect("?topics=task");
    stuck.socket.pause();

    // Fill the stuck client's socket buffers, the gateway's buffer for it, its Watch call and
    // its queue in the coordinator, until events are dropped for it. The reader keeps up.
    const ids = await fillUntil(reader, async () => (await metric("mcp_events_dropped_total")) > 0);
    const droppedBefore = await metric("mcp_events_dropped_total");

    // The burst: 300 transitions while the stuck client is stuck.
    await createBatch(ids, "burst", 300);
    await reader.until((m) => m.length > ids.length, "every event of the burst");
    expect(reader.events.map((m) => m.task_id)).toEqual(ids);
    expect(reader.received.some((m) => m.type === "lagged")).toBe(false);
    await eventually(
      async () =>
        (await metric("mcp_events_dropped_total")) === droppedBefore + 300 ? true : undefined,
      "the burst dropped for the stuck client",
    );
    expect(stuck.closed).toBeUndefined();

    // It reads again: what it got is the start, in order, then one notice counting the rest.
    stuck.socket.resume();
    await stuck.until((m) => m.some((e) => e.type === "lagged"), "the lagged notice");
    const laggedAt = stuck.received.findIndex((m) => m.type === "lagged");
    const before = stuck.received.slice(1, laggedAt).map((m) => m.task_id);
    const lagged = stuck.received[laggedAt]!;
    expect(before).toEqual(ids.slice(0, before.length));
    expect(before.length + Number(lagged.data.dropped)).toBe(ids.length);
    expect(lagged.topic).toBe("system");

    await createBatch(ids, "after", 1);
    await stuck.until((m) => m.length > laggedAt + 1, "a live event after the notice");
    expect(stuck.received[laggedAt + 1]?.task_id).toBe(ids.at(-1));
  });

  it("closes a client that stays stuck past the stall timeout, ending its Watch; the others go on", async () => {
    system = await TestSystem.start({ events: { stallTimeoutMs: 2_000 } });
    const stuck = await connect("?topics=task");
    const reader = await connect("?topics=task");
    expect(await metric("mcp_event_watchers")).toBe(2);
    stuck.socket.pause();
    const ids = await fillUntil(reader, async () => (await metric("mcp_event_watchers")) === 1);
    // Whichever noticed first (the coordinator's queue or the gateway's socket), the gateway
    // closes the socket once it has been full for the stall timeout.
    await eventually(
      async () =>
        system!.gateway.logs().some((l) => l.msg === "event socket too slow; closing it")
          ? true
          : undefined,
      "the gateway to close the stuck socket",
    );
    stuck.socket.resume();
    const closed = await stuck.closedWith();
    // The close frame waits behind the unsent events; a client that still reads nothing
    // within a second of it is dropped without one (1006).
    expect([1013, 1006]).toContain(closed.code);
    await createBatch(ids, "after", 1);
    await reader.until((m) => m.length > ids.length, "the event after");
    expect(reader.events.map((m) => m.task_id)).toEqual(ids);
    expect(reader.closed).toBeUndefined();
  });

  it("ends the coordinator Watch when the client disconnects", async () => {
    system = await TestSystem.start();
    const first = await connect();
    await connect();
    expect(await metric("mcp_event_watchers")).toBe(2);
    first.socket.close(1000);
    await eventually(
      async () => ((await metric("mcp_event_watchers")) === 1 ? true : undefined),
      "one watcher left",
    );
  });
});
