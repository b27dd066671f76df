import { describe, expect, it } from "vitest";
import { ReadyQueues } from "../../src/coordinator/ready-queues.js";
import { routingKey } from "../../src/coordinator/routing-key.js";

const backend = { type: "backend" as const, executor: "command" as const, capabilities: [] };
const anyNoop = { type: null, executor: "noop" as const, capabilities: ["x"] };

describe("ReadyQueues", () => {
  it("gives the highest priority first, then the oldest, across the queues asked", () => {
    const q = new ReadyQueues();
    q.add("low", backend, "low", 1);
    q.add("high-late", anyNoop, "high", 5);
    q.add("high-early", backend, "high", 3);
    q.add("critical", anyNoop, "critical", 9);
    const keys = [routingKey(backend), routingKey(anyNoop)];
    const order: string[] = [];
    for (let id = q.peekBest(keys); id !== undefined; id = q.peekBest(keys)) {
      order.push(id);
      q.remove(id);
    }
    expect(order).toEqual(["critical", "high-early", "high-late", "low"]);
    expect(q.size).toBe(0);
  });

  it("only looks in the queues asked, and reports positions", () => {
    const q = new ReadyQueues();
    q.add("a", backend, "medium", 1);
    q.add("b", backend, "medium", 2);
    q.add("c", anyNoop, "critical", 3);
    expect(q.peekBest([routingKey(backend)])).toBe("a");
    expect(q.aheadAtMost("b")).toBe(1);
    expect(q.aheadAtMost("c")).toBe(0);
    expect(q.depth(routingKey(backend))).toBe(2);
    q.remove("a");
    expect(q.peekBest([routingKey(backend)])).toBe("b");
  });

  it("keeps FIFO order for many tasks of one priority", () => {
    const q = new ReadyQueues();
    for (let i = 0; i < 5_000; i += 1) q.add(`t${i}`, backend, "medium", i);
    for (let i = 0; i < 5_000; i += 1) {
      const id = q.peekBest([routingKey(backend)]) as string;
      expect(id).toBe(`t${i}`);
      q.remove(id);
    }
  });
});
