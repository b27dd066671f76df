import { describe, expect, it } from "vitest";
import { type OpenLoopClock, runOpenLoop } from "../../bench/lib/index.js";

/** A clock that only moves when the pacer sleeps or a submission call takes time. */
class ManualClock implements OpenLoopClock {
  t = 1_000_000;
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.t += Math.max(0, ms);
  }
}

interface Call {
  at: number;
  first: number;
  count: number;
}

/** Runs the pacer on a manual clock; `callMs(n)` is how long the n-th call takes. */
async function run(
  rate: number,
  seconds: number,
  callMs: (n: number) => number,
  extra: { maxPerCall?: number; signal?: AbortSignal } = {},
) {
  const clock = new ManualClock();
  const start = clock.t;
  const calls: Call[] = [];
  const result = await runOpenLoop({
    rate,
    seconds,
    clock,
    ...extra,
    submit: async (first, count) => {
      calls.push({ at: clock.t - start, first, count });
      clock.t += callMs(calls.length - 1);
    },
  });
  return { result, calls };
}

/** Every task from 0 to total - 1 exactly once, in order. */
function expectContiguous(calls: Call[], total: number): void {
  let next = 0;
  for (const call of calls) {
    expect(call.first).toBe(next);
    expect(call.count).toBeGreaterThan(0);
    next += call.count;
  }
  expect(next).toBe(total);
}

describe("runOpenLoop", () => {
  it("submits rate/100 tasks every 10 ms when calls keep up", async () => {
    const { result, calls } = await run(1000, 1, () => 1);
    expectContiguous(calls, 1000);
    expect(calls).toHaveLength(100);
    calls.forEach((call, k) => {
      expect(call.count).toBe(10);
      expect(call.at).toBe(k * 10);
    });
    expect(result.tasks).toBe(1000);
    expect(result.calls).toBe(100);
    expect(result.lateCalls).toBe(0);
    expect(result.achievedRate).toBe(1000);
  });

  it("never submits a task before the tick it is due in, at a rate that is not a multiple of 100", async () => {
    const { result, calls } = await run(150, 2, () => 0.5);
    expectContiguous(calls, 300);
    for (const call of calls) {
      for (let i = call.first; i < call.first + call.count; i += 1) {
        const dueTick = Math.floor(((i / 150) * 1000) / 10) * 10;
        expect(call.at).toBeGreaterThanOrEqual(dueTick);
        expect(call.at).toBeLessThan(dueTick + 10);
      }
    }
    expect(result.lateCalls).toBe(0);
  });

  it("catches up at once after a slow call instead of sleeping", async () => {
    // The sixth call (at 50 ms) takes 35 ms: the next starts when it returns, at 85 ms,
    // with everything due by then, and the schedule resumes on the 10 ms grid.
    const { result, calls } = await run(1000, 1, (n) => (n === 5 ? 35 : 1));
    expectContiguous(calls, 1000);
    const slow = calls[5]!;
    const next = calls[6]!;
    expect(slow.at).toBe(50);
    expect(next.at).toBe(85);
    expect(next.first).toBe(60);
    expect(next.count).toBe(30);
    expect(calls[7]!.at).toBe(90);
    expect(result.lateCalls).toBe(1);
    expect(result.maxLagMs).toBe(25);
    expect(result.achievedRate).toBe(1000);
  });

  it("splits a backlog into back-to-back calls of at most maxPerCall", async () => {
    const { result, calls } = await run(1000, 1, (n) => (n === 0 ? 100 : 1), { maxPerCall: 40 });
    expectContiguous(calls, 1000);
    expect(calls.map((c) => [c.at, c.count]).slice(0, 4)).toEqual([
      [0, 10],
      [100, 40],
      [101, 40],
      [102, 20],
    ]);
    expect(Math.max(...calls.map((c) => c.count))).toBeLessThanOrEqual(40);
    expect(result.lateCalls).toBe(3);
  });

  it("reports a rate below the target when calls cannot keep up", async () => {
    // Every call takes 20 ms: the backlog is submitted but the last call ends after 1 s.
    const { result, calls } = await run(1000, 1, () => 20, { maxPerCall: 10 });
    expectContiguous(calls, 1000);
    expect(result.submitSeconds).toBe(2);
    expect(result.achievedRate).toBe(500);
  });

  it("stops with the abort reason between calls", async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    const outcome = run(
      1000,
      1,
      (n) => {
        if (n === 3) controller.abort(reason);
        return 1;
      },
      { signal: controller.signal },
    );
    await expect(outcome).rejects.toBe(reason);
  });

  it("refuses a rate or duration that is not positive", async () => {
    await expect(run(0, 1, () => 1)).rejects.toThrow(RangeError);
    await expect(run(100, -1, () => 1)).rejects.toThrow(RangeError);
  });
});
