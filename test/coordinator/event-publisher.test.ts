import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EventBus } from "../../src/coordinator/event-bus.js";
import { EventPublisher } from "../../src/coordinator/event-publisher.js";
import { GroupCommitter } from "../../src/coordinator/group-committer.js";
import type { StreamEvent } from "../../src/domain/index.js";
import { SqliteStore } from "../../src/store/index.js";
import { makeTask } from "../store/store-fixtures.js";
import { tempDir } from "../helpers/temp-dir.js";

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function setUp() {
  const dir = tempDir("mcp-events-");
  const store = await SqliteStore.open({ path: join(dir.path, "mcp.db"), synchronous: "normal" });
  const fatal: unknown[] = [];
  const committer = new GroupCommitter(store, (error) => fatal.push(error));
  const bus = new EventBus();
  const publisher = new EventPublisher(bus, committer);
  const received: StreamEvent[] = [];
  bus.subscribe(
    { topics: [], projectId: null, taskId: null, agentId: null },
    {
      write: (event) => received.push(event) > 0,
      onDrain: () => undefined,
      close: () => undefined,
    },
  );
  cleanup.push(() => dir.remove());
  return { store, committer, publisher, received, fatal };
}

describe("EventPublisher", () => {
  it("publishes a transition only once the commit that holds it is durable", async () => {
    const { store, committer, publisher, received } = await setUp();
    cleanup.push(() => store.close());
    const task = makeTask(1);
    committer.stageTask(task);
    publisher.onTransition(task, null, "pending", Date.now(), "client");
    expect(received.map((e) => e.type)).toEqual(["subscribed"]);
    await committer.durable();
    expect(received.map((e) => e.type)).toEqual(["subscribed", "task.transition"]);
    expect(await store.getTask(task.id)).not.toBeNull();
    expect(received[1]).toMatchObject({ topic: "task", taskId: task.id, seq: 1 });
    expect(received[1]?.data).toMatchObject({ from: null, to: "pending", actor: "client" });
  });

  it("never publishes a change whose commit failed", async () => {
    const { store, committer, publisher, received, fatal } = await setUp();
    await store.close();
    const task = makeTask(2);
    committer.stageTask(task);
    publisher.onTransition(task, null, "pending", Date.now(), "client");
    await expect(committer.durable()).rejects.toBeDefined();
    expect(fatal).toHaveLength(1);
    expect(received.map((e) => e.type)).toEqual(["subscribed"]);
  });
});
