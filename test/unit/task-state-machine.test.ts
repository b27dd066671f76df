import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canTransition,
  INITIAL_STATUSES,
  isTerminal,
  nextStatuses,
  TASK_STATUSES,
  type TaskStatus,
  assertTransition,
} from "../../src/domain/index.js";

/** A model of one task: status plus the fencing attempt, driven by random operations. */
type Op =
  | "assign"
  | "start"
  | "complete"
  | "fail_retry"
  | "fail_final"
  | "expire"
  | "hand_back"
  | "cancel"
  | "release";

const OPS: Op[] = [
  "assign",
  "start",
  "complete",
  "fail_retry",
  "fail_final",
  "expire",
  "hand_back",
  "cancel",
  "release",
];

function target(op: Op): TaskStatus {
  switch (op) {
    case "assign":
      return "assigned";
    case "start":
      return "in_progress";
    case "complete":
      return "completed";
    case "fail_final":
      return "failed";
    case "cancel":
      return "cancelled";
    case "release":
      return "pending";
    default:
      return "pending";
  }
}

describe("task state machine", () => {
  it("allows only the table's transitions; terminal states are absorbing; attempts only grow", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...INITIAL_STATUSES),
        fc.array(fc.constantFrom(...OPS), { maxLength: 60 }),
        (initial, ops) => {
          let status: TaskStatus = initial;
          let attempt = 0;
          for (const op of ops) {
            const to = target(op);
            const legal = canTransition(status, to);
            if (!legal) {
              expect(() => assertTransition("t", status, to)).toThrow(/cannot go from/);
              continue;
            }
            if (isTerminal(status)) throw new Error(`left terminal ${status}`);
            const before = attempt;
            if (to === "assigned") attempt += 1;
            status = to;
            expect(attempt).toBeGreaterThanOrEqual(before);
          }
          if (isTerminal(status)) expect(nextStatuses(status)).toHaveLength(0);
        },
      ),
      { numRuns: 2_000, seed: 42 },
    );
  });

  it("reaches a terminal state from every status", () => {
    for (const status of TASK_STATUSES) {
      const seen = new Set<TaskStatus>([status]);
      const queue = [status];
      while (queue.length > 0) {
        for (const next of nextStatuses(queue.shift()!)) {
          if (seen.has(next)) continue;
          seen.add(next);
          queue.push(next);
        }
      }
      expect([...seen].some(isTerminal)).toBe(true);
    }
  });

  it("never leaves a terminal status and never skips the lease to complete from pending", () => {
    for (const from of TASK_STATUSES)
      for (const to of TASK_STATUSES)
        if (isTerminal(from)) expect(canTransition(from, to)).toBe(false);
    expect(canTransition("pending", "completed")).toBe(false);
    expect(canTransition("blocked", "assigned")).toBe(false);
  });
});
