import { describe, expect, it } from "vitest";
import { ReconnectBackoff } from "../../src/agent/reconnect-backoff.js";

/** A small seeded generator (mulberry32) so the jitter is reproducible. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("reconnect backoff", () => {
  it("doubles its ceiling from the initial delay up to the cap, drawing from the upper half", () => {
    const backoff = new ReconnectBackoff({ initialMs: 100, maxMs: 3_000, random: seeded(7) });
    const ceilings = [100, 200, 400, 800, 1_600, 3_000, 3_000, 3_000];
    for (const ceiling of ceilings) {
      const delay = backoff.next();
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });

  it("starts over after a reset", () => {
    const backoff = new ReconnectBackoff({ initialMs: 100, maxMs: 3_000, random: () => 0.999 });
    for (let i = 0; i < 10; i++) backoff.next();
    backoff.reset();
    expect(backoff.next()).toBeLessThanOrEqual(100);
  });

  it("spreads agents that fail together", () => {
    const delays = new Set(
      Array.from({ length: 20 }, (_, i) => new ReconnectBackoff({ random: seeded(i) }).next()),
    );
    expect(delays.size).toBeGreaterThan(10);
  });
});
