import { describe, expect, it } from "vitest";
import { DependencyGraph } from "../../src/coordinator/dependency-graph.js";
import { findCycle } from "../../src/coordinator/find-cycle.js";

describe("DependencyGraph", () => {
  it("releases a task when its last dependency completes", () => {
    const g = new DependencyGraph();
    g.add("c", ["a", "b"]);
    expect(g.complete("a")).toEqual([]);
    expect(g.waitingFor("c")).toEqual(["b"]);
    expect(g.complete("b")).toEqual(["c"]);
    expect(g.has("c")).toBe(false);
  });

  it("dooms everything downstream of a failure, with the path in the reason", () => {
    const g = new DependencyGraph();
    g.add("b", ["a"]);
    g.add("c", ["b"]);
    g.add("d", ["x"]);
    const doomed = g.fail("a", "dependency a failed");
    expect(doomed).toEqual([
      { taskId: "b", reason: "dependency a failed" },
      { taskId: "c", reason: "upstream dependency a failed" },
    ]);
    expect(g.complete("b")).toEqual([]);
    expect(g.doomedReason("c")).toBe("upstream dependency a failed");
    expect(g.doomedReason("d")).toBeNull();
  });

  it("forgets a removed task in both directions", () => {
    const g = new DependencyGraph();
    g.add("b", ["a"]);
    g.remove("b");
    expect(g.complete("a")).toEqual([]);
    expect(g.size).toBe(0);
  });
});

describe("findCycle", () => {
  it("finds a cycle and returns its path, ignoring edges leaving the graph", () => {
    const graph = new Map([
      ["a", ["b", "outside"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", []],
    ]);
    expect(findCycle(graph)).toEqual(["a", "b", "c", "a"]);
    expect(findCycle(new Map([["a", ["a"]]]))).toEqual(["a", "a"]);
    expect(
      findCycle(
        new Map([
          ["a", ["b"]],
          ["b", []],
        ]),
      ),
    ).toBeNull();
  });

  it("handles long chains without overflowing the stack", () => {
    const graph = new Map<string, string[]>();
    for (let i = 0; i < 100_000; i += 1) graph.set(`n${i}`, i > 0 ? [`n${i - 1}`] : []);
    expect(findCycle(graph)).toBeNull();
  });
});
