import { describe, expect, it } from "vitest";
import { retryDelayMs } from "../../src/coordinator/backoff.js";
import { DelayQueue } from "../../src/coordinator/delay-queue.js";

describe("DelayQueue", () => {
  it("delivers items in time order, skipping removed ones", async () => {
    const due: string[] = [];
    const q = new DelayQueue((ids) => due.push(...ids));
    const now = Date.now();
    q.add("third", now + 60);
    q.add("first", now + 10);
    q.add("gone", now + 20);
    q.add("second", now + 30);
    q.remove("gone");
    await new Promise((r) => setTimeout(r, 150));
    expect(due).toEqual(["first", "second", "third"]);
    expect(q.size).toBe(0);
    q.close();
  });

  it("uses the latest due time when an item is re-added", async () => {
    const due: string[] = [];
    const q = new DelayQueue((ids) => due.push(...ids));
    q.add("x", Date.now() + 10);
    q.add("x", Date.now() + 80);
    await new Promise((r) => setTimeout(r, 40));
    expect(due).toEqual([]);
    await new Promise((r) => setTimeout(r, 80));
    expect(due).toEqual(["x"]);
    q.close();
  });
});

describe("retryDelayMs", () => {
  it("doubles per failure, is capped, and jitters down by at most 20%", () => {
    expect(retryDelayMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(retryDelayMs(3, 1000, 60_000, () => 1)).toBe(4000);
    expect(retryDelayMs(20, 1000, 60_000, () => 1)).toBe(60_000);
    expect(retryDelayMs(3, 1000, 60_000, () => 0)).toBe(3200);
    expect(retryDelayMs(3, 0, 60_000)).toBe(0);
  });
});
