import { describe, expect, it } from "vitest";
import { RestartBackoff } from "../../src/orchestrator/restart-backoff.js";

const options = {
  initialDelayMs: 100,
  maxDelayMs: 1_000,
  stableAfterMs: 5_000,
  maxRestarts: 5,
  windowMs: 60_000,
};

describe("RestartBackoff", () => {
  it("doubles the delay per crash up to the cap", () => {
    const backoff = new RestartBackoff({ ...options, maxRestarts: 100 });
    const delays = Array.from({ length: 7 }, (_, i) => backoff.onCrash(i * 10, 10));
    expect(delays.map((d) => (d.kind === "restart" ? d.delayMs : -1))).toEqual([
      100, 200, 400, 800, 1_000, 1_000, 1_000,
    ]);
  });

  it("resets the delay after a stable run", () => {
    const backoff = new RestartBackoff({ ...options, maxRestarts: 100 });
    backoff.onCrash(0, 10);
    backoff.onCrash(10, 10);
    expect(backoff.onCrash(20, 10)).toEqual({ kind: "restart", delayMs: 400 });
    expect(backoff.onCrash(30_000, 6_000)).toEqual({ kind: "restart", delayMs: 100 });
    expect(backoff.onCrash(30_010, 10)).toEqual({ kind: "restart", delayMs: 200 });
  });

  it("gives up after more than maxRestarts crashes within the window", () => {
    const backoff = new RestartBackoff({ ...options, maxRestarts: 2 });
    expect(backoff.onCrash(0, 10).kind).toBe("restart");
    expect(backoff.onCrash(100, 10).kind).toBe("restart");
    expect(backoff.onCrash(200, 10)).toEqual({ kind: "give_up", crashesInWindow: 3 });
  });

  it("forgets crashes older than the window", () => {
    const backoff = new RestartBackoff({ ...options, maxRestarts: 2, windowMs: 1_000 });
    backoff.onCrash(0, 10);
    backoff.onCrash(500, 10);
    // The crash at 0 has left the window by 1_200: two in the window, still allowed.
    expect(backoff.onCrash(1_200, 10).kind).toBe("restart");
    expect(backoff.onCrash(1_300, 10).kind).toBe("give_up");
  });

  it("with maxRestarts 0 gives up at the first crash", () => {
    expect(new RestartBackoff({ ...options, maxRestarts: 0 }).onCrash(0, 10).kind).toBe("give_up");
  });

  it("grows from a zero initial delay", () => {
    const backoff = new RestartBackoff({ ...options, initialDelayMs: 0, maxRestarts: 100 });
    const delays = [0, 1, 2].map((i) => backoff.onCrash(i, 0));
    expect(delays.map((d) => (d.kind === "restart" ? d.delayMs : -1))).toEqual([0, 1, 2]);
  });
});
