import { afterEach, describe, expect, it, vi } from "vitest";
import {
  EventBus,
  type EventFilter,
  type EventSink,
  resolveEventBusOptions,
  type SystemEvent,
} from "../../src/coordinator/event-bus.js";
import { AppError, type StreamEvent } from "../../src/domain/index.js";

/** A sink that keeps what it is given and is full whenever the test says so. */
class ListSink implements EventSink {
  readonly received: StreamEvent[] = [];
  full = false;
  closedWith: AppError | null = null;
  private resume: (() => void) | null = null;

  write(event: StreamEvent): boolean {
    this.received.push(event);
    return !this.full;
  }

  onDrain(resume: () => void): void {
    this.resume = resume;
  }

  close(reason: AppError): void {
    this.closedWith = reason;
  }

  /** The sink can take events again. */
  drain(): void {
    this.full = false;
    const resume = this.resume;
    this.resume = null;
    resume?.();
  }

  /** What it received besides notices, as "type:taskId". */
  events(): string[] {
    return this.received.filter((e) => e.topic !== "system").map((e) => `${e.type}:${e.taskId}`);
  }
}

const ALL: EventFilter = { topics: [], projectId: null, taskId: null, agentId: null };

function taskEvent(taskId: string, extra: Partial<SystemEvent> = {}): Omit<SystemEvent, "seq"> {
  return {
    topic: "task",
    type: "task.transition",
    at: Date.now(),
    projectId: null,
    taskId,
    agentId: null,
    data: { to: "pending" },
    ...extra,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("EventBus", () => {
  it("starts each subscription with a subscribed notice, then sends what is published after it, in order", () => {
    const bus = new EventBus();
    bus.publish(taskEvent("before"));
    const sink = new ListSink();
    bus.subscribe(ALL, sink);
    bus.publish(taskEvent("a"));
    bus.publish(taskEvent("b"));
    const [notice, ...rest] = sink.received;
    expect(notice).toMatchObject({ topic: "system", type: "subscribed", seq: 1 });
    expect(notice?.data).toMatchObject({ topics: [], queue_limit: 1_000 });
    expect(rest.map((e) => [e.seq, e.taskId])).toEqual([
      [2, "a"],
      [3, "b"],
    ]);
  });

  it("filters by topic, project, task and agent, every part that is set", () => {
    const bus = new EventBus();
    const sinks = {
      agents: new ListSink(),
      projectP: new ListSink(),
      taskT2: new ListSink(),
      agentX: new ListSink(),
      tasksOfXInP: new ListSink(),
    };
    bus.subscribe({ ...ALL, topics: ["agent"] }, sinks.agents);
    bus.subscribe({ ...ALL, projectId: "p" }, sinks.projectP);
    bus.subscribe({ ...ALL, taskId: "t2" }, sinks.taskT2);
    bus.subscribe({ ...ALL, agentId: "x" }, sinks.agentX);
    bus.subscribe(
      { topics: ["task", "message"], projectId: "p", taskId: null, agentId: "x" },
      sinks.tasksOfXInP,
    );
    bus.publish(taskEvent("t1", { projectId: "p" }));
    bus.publish(taskEvent("t2", { projectId: "p", agentId: "x" }));
    bus.publish(taskEvent("t3", { agentId: "x" }));
    bus.publish({
      ...taskEvent("t4"),
      topic: "agent",
      type: "agent.online",
      taskId: null,
      agentId: "x",
    });
    expect(sinks.agents.events()).toEqual(["agent.online:null"]);
    expect(sinks.projectP.events()).toEqual(["task.transition:t1", "task.transition:t2"]);
    expect(sinks.taskT2.events()).toEqual(["task.transition:t2"]);
    expect(sinks.agentX.events()).toEqual([
      "task.transition:t2",
      "task.transition:t3",
      "agent.online:null",
    ]);
    expect(sinks.tasksOfXInP.events()).toEqual(["task.transition:t2"]);
  });

  it("stops delivering after unsubscribe", () => {
    const bus = new EventBus();
    const sink = new ListSink();
    const unsubscribe = bus.subscribe(ALL, sink);
    bus.publish(taskEvent("a"));
    expect(bus.hasSubscribers).toBe(true);
    unsubscribe();
    unsubscribe();
    bus.publish(taskEvent("b"));
    expect(sink.events()).toEqual(["task.transition:a"]);
    expect(bus.hasSubscribers).toBe(false);
    expect(sink.closedWith).toBeNull();
  });

  it("queues up to its limit for a full sink, drops the rest, and says how many once caught up", () => {
    const bus = new EventBus({ queueLimit: 3 });
    const slow = new ListSink();
    const fast = new ListSink();
    bus.subscribe(ALL, slow);
    bus.subscribe(ALL, fast);
    slow.full = true;
    for (let i = 1; i <= 10; i += 1) bus.publish(taskEvent(`t${i}`));
    // t1 was taken (the sink said "full" while taking it), t2..t4 wait, t5..t10 are lost.
    expect(slow.events()).toEqual(["task.transition:t1"]);
    expect(fast.events()).toHaveLength(10);
    expect(bus.stats()).toMatchObject({ subscribers: 2, published: 10, dropped: 6 });

    slow.drain();
    bus.publish(taskEvent("t11"));
    const tail = slow.received.slice(2).map((e) => `${e.type}:${e.taskId ?? ""}`);
    expect(tail).toEqual([
      "task.transition:t2",
      "task.transition:t3",
      "task.transition:t4",
      "lagged:",
      "task.transition:t11",
    ]);
    const lagged = slow.received.find((e) => e.type === "lagged");
    expect(lagged).toMatchObject({ topic: "system", seq: 10, data: { dropped: 6 } });
    expect(fast.received.some((e) => e.type === "lagged")).toBe(false);
  });

  it("keeps the lagged notice after every queued event when the sink fills again while catching up", () => {
    const bus = new EventBus({ queueLimit: 4 });
    const sink = new ListSink();
    bus.subscribe(ALL, sink);
    sink.full = true;
    for (let i = 1; i <= 8; i += 1) bus.publish(taskEvent(`t${i}`));
    // The sink takes one event and is full again.
    sink.write = function (event) {
      this.received.push(event);
      return false;
    };
    sink.drain();
    expect(sink.events()).toEqual(["task.transition:t1", "task.transition:t2"]);
    bus.publish(taskEvent("t9"));
    for (let i = 0; i < 4; i += 1) sink.drain();
    expect(sink.received.slice(1).map((e) => e.type + ":" + (e.taskId ?? ""))).toEqual([
      "task.transition:t1",
      "task.transition:t2",
      "task.transition:t3",
      "task.transition:t4",
      "task.transition:t5",
      "lagged:",
    ]);
    expect(sink.received.at(-1)?.data).toEqual({ dropped: 4 });
  });

  it("disconnects a subscriber whose sink stays full past the stall timeout, and only that one", () => {
    vi.useFakeTimers();
    const bus = new EventBus({ queueLimit: 10, stallTimeoutMs: 5_000 });
    const stuck = new ListSink();
    const fine = new ListSink();
    bus.subscribe(ALL, stuck);
    bus.subscribe(ALL, fine);
    stuck.full = true;
    bus.publish(taskEvent("a"));
    bus.publish(taskEvent("b"));
    vi.advanceTimersByTime(4_999);
    expect(stuck.closedWith).toBeNull();
    vi.advanceTimersByTime(1);
    expect(stuck.closedWith?.code).toBe("resource_exhausted");
    expect(stuck.closedWith?.message).toContain("read nothing for 5000 ms while 1 events waited");
    expect(bus.stats()).toMatchObject({ subscribers: 1, disconnected: 1 });
    stuck.drain();
    bus.publish(taskEvent("c"));
    expect(stuck.events()).toEqual(["task.transition:a"]);
    expect(fine.events()).toEqual(["task.transition:a", "task.transition:b", "task.transition:c"]);
  });

  it("does not disconnect a sink that drains within the stall timeout", () => {
    vi.useFakeTimers();
    const bus = new EventBus({ stallTimeoutMs: 1_000 });
    const sink = new ListSink();
    bus.subscribe(ALL, sink);
    for (let i = 0; i < 5; i += 1) {
      sink.full = true;
      bus.publish(taskEvent(`t${i}`));
      vi.advanceTimersByTime(900);
      sink.drain();
    }
    vi.advanceTimersByTime(10_000);
    expect(sink.closedWith).toBeNull();
    expect(sink.events()).toHaveLength(5);
  });

  it("ends a subscription whose sink throws, and delivers to the others", () => {
    const bus = new EventBus();
    const broken = new ListSink();
    const fine = new ListSink();
    bus.subscribe(ALL, broken);
    bus.subscribe(ALL, fine);
    broken.write = () => {
      throw new Error("socket gone");
    };
    expect(() => bus.publish(taskEvent("a"))).not.toThrow();
    expect(broken.closedWith?.message).toContain("socket gone");
    bus.publish(taskEvent("b"));
    expect(fine.events()).toEqual(["task.transition:a", "task.transition:b"]);
    expect(bus.stats().subscribers).toBe(1);
  });

  it("ends every subscription when closed and refuses new ones with the same reason", () => {
    const bus = new EventBus();
    const before = new ListSink();
    bus.subscribe(ALL, before);
    const reason = new AppError("unavailable", "the coordinator is shutting down");
    bus.close(reason);
    expect(before.closedWith).toBe(reason);
    const after = new ListSink();
    bus.subscribe(ALL, after);
    expect(after.closedWith).toBe(reason);
    bus.publish(taskEvent("x"));
    expect(after.received).toEqual([]);
    expect(bus.hasSubscribers).toBe(false);
  });

  it("refuses bad options, naming them", () => {
    expect(() => resolveEventBusOptions({ queueLimit: 0 })).toThrow(/queueLimit/);
    expect(() => resolveEventBusOptions({ stallTimeoutMs: 1.5 })).toThrow(/stallTimeoutMs/);
    expect(resolveEventBusOptions({})).toEqual({ queueLimit: 1_000, stallTimeoutMs: 30_000 });
  });
});
