import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/domain/index.js";
import { AgentType, TaskStatus } from "../../src/gen/mcp/v1/task.js";
import {
  type CoordinatorHarness,
  startCoordinatorHarness,
} from "../helpers/coordinator-harness.js";
import { freeform } from "../helpers/wire-builders.js";

let h: CoordinatorHarness;
beforeEach(async () => {
  h = await startCoordinatorHarness();
});
afterEach(async () => {
  await h.close();
});

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function countTasks(): Promise<number> {
  return (
    await h.client.listTasks({
      statuses: [],
      type: 0,
      agentId: "",
      projectId: "",
      pageSize: 500,
      pageToken: "",
    })
  ).totalSize;
}

describe("dependencies", () => {
  it("refuses unknown dependency ids and creates nothing", async () => {
    const error = await errorOf(
      h.client.createTasks({
        tasks: [freeform("a", { dependencies: ["task_nope"] })],
        idempotencyKey: "",
      }),
    );
    expect(error.code).toBe("not_found");
    expect(error.details.field).toBe("dependencies[0]");
    expect(await countTasks()).toBe(0);
  });

  it("refuses cycles within a request, naming the cycle, and creates nothing", async () => {
    const error = await errorOf(
      h.client.createTasks({
        tasks: [
          freeform("a", { ref: "a", dependencies: ["c"] }),
          freeform("b", { ref: "b", dependencies: ["a"] }),
          freeform("c", { ref: "c", dependencies: ["b"] }),
          freeform("d", { ref: "d" }),
        ],
        idempotencyKey: "",
      }),
    );
    expect(error.code).toBe("failed_precondition");
    expect(error.message).toMatch(/cycle: (a|b|c) -> .* -> \1/);
    expect(await countTasks()).toBe(0);
  });

  it("refuses a task that depends on itself", async () => {
    const error = await errorOf(
      h.client.createTasks({
        tasks: [freeform("a", { ref: "a", dependencies: ["a"] })],
        idempotencyKey: "",
      }),
    );
    expect(error.code).toBe("failed_precondition");
  });

  it("releases a dependent only when all of its dependencies complete, across requests", async () => {
    const first = await h.client.createTasks({ tasks: [freeform("first")], idempotencyKey: "" });
    const second = await h.client.createTasks({
      tasks: [
        freeform("second", { ref: "s" }),
        freeform("final", { dependencies: [first.tasks[0]!.id, "s"] }),
      ],
      idempotencyKey: "",
    });
    const finalTask = second.tasks[1]!;
    expect(finalTask.status).toBe(TaskStatus.TASK_STATUS_BLOCKED);
    expect(finalTask.statusReason).toContain("waiting for 2 of 2");
    const worker = (
      await h.client.registerWorker({
        name: "w",
        type: AgentType.AGENT_TYPE_BACKEND,
        capabilities: [],
        executors: [],
        maxConcurrency: 5,
        agentId: "",
      })
    ).agent!.id;
    const complete = async () => {
      const claim = await h.client.claimTask({ agentId: worker, waitMs: 0 });
      await h.client.completeTask({
        taskId: claim.task!.id,
        leaseToken: claim.lease!.token,
        outputJson: "",
      });
      return claim.task!.title;
    };
    expect(await complete()).toBe("first");
    expect((await h.client.getTask({ id: finalTask.id })).task?.status).toBe(
      TaskStatus.TASK_STATUS_BLOCKED,
    );
    expect(await complete()).toBe("second");
    expect((await h.client.getTask({ id: finalTask.id })).task?.status).toBe(
      TaskStatus.TASK_STATUS_PENDING,
    );
    expect(await complete()).toBe("final");
  });

  it("blocks tasks created on top of a failed dependency, with the reason", async () => {
    const created = await h.client.createTasks({
      tasks: [freeform("doomed", { maxAttempts: 1 })],
      idempotencyKey: "",
    });
    const worker = (
      await h.client.registerWorker({
        name: "w",
        type: AgentType.AGENT_TYPE_BACKEND,
        capabilities: [],
        executors: [],
        maxConcurrency: 1,
        agentId: "",
      })
    ).agent!.id;
    const claim = await h.client.claimTask({ agentId: worker, waitMs: 0 });
    await h.client.failTask({
      taskId: created.tasks[0]!.id,
      leaseToken: claim.lease!.token,
      error: { code: "internal", message: "x", retryable: true },
    });
    const later = await h.client.createTasks({
      tasks: [freeform("later", { dependencies: [created.tasks[0]!.id] })],
      idempotencyKey: "",
    });
    expect(later.tasks[0]!.status).toBe(TaskStatus.TASK_STATUS_BLOCKED);
    expect(later.tasks[0]!.statusReason).toContain("failed");
  });
});

describe("cancellation", () => {
  it("cancels a pending task and blocks its dependents; a finished task cannot be cancelled", async () => {
    const created = await h.client.createTasks({
      tasks: [freeform("a", { ref: "a" }), freeform("b", { ref: "b", dependencies: ["a"] })],
      idempotencyKey: "",
    });
    const cancelled = await h.client.cancelTask({ id: created.tasks[0]!.id, reason: "not needed" });
    expect(cancelled.task?.status).toBe(TaskStatus.TASK_STATUS_CANCELLED);
    expect(cancelled.task?.statusReason).toContain("not needed");
    const dependent = await h.client.getTask({ id: created.tasks[1]!.id });
    expect(dependent.task?.statusReason).toContain("was cancelled");
    const again = await errorOf(h.client.cancelTask({ id: created.tasks[0]!.id, reason: "" }));
    expect(again.code).toBe("failed_precondition");
    expect((await errorOf(h.client.cancelTask({ id: "task_unknown", reason: "" }))).code).toBe(
      "not_found",
    );
  });
});

describe("idempotency keys", () => {
  it("returns the first response for the same key and content, and creates one task", async () => {
    const request = { tasks: [freeform("once")], idempotencyKey: "key-1" };
    const first = await h.client.createTasks(request);
    const second = await h.client.createTasks(request);
    expect(second.replayed).toBe(true);
    expect(second.tasks).toEqual(first.tasks);
    expect(await countTasks()).toBe(1);
  });

  it("gives concurrent requests with one key one task and identical responses", async () => {
    const request = { tasks: [freeform("concurrent")], idempotencyKey: "key-2" };
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => h.client.createTasks(request)),
    );
    const ids = new Set(responses.map((r) => r.tasks[0]!.id));
    expect(ids.size).toBe(1);
    for (const r of responses) expect(r.tasks).toEqual(responses[0]!.tasks);
    expect(await countTasks()).toBe(1);
  });

  it("refuses the same key with a different request", async () => {
    await h.client.createTasks({ tasks: [freeform("one")], idempotencyKey: "key-3" });
    const error = await errorOf(
      h.client.createTasks({ tasks: [freeform("two")], idempotencyKey: "key-3" }),
    );
    expect(error.code).toBe("invalid_argument");
    expect(error.details.field).toBe("idempotency_key");
  });

  it("survives a restart", async () => {
    const request = { tasks: [freeform("durable")], idempotencyKey: "key-4" };
    const first = await h.client.createTasks(request);
    await h.restart();
    const second = await h.client.createTasks(request);
    expect(second.replayed).toBe(true);
    expect(second.tasks[0]!.id).toBe(first.tasks[0]!.id);
  });
});

describe("recovery", () => {
  it("resumes unfinished work after a restart: pending, blocked and leased tasks", async () => {
    const created = await h.client.createTasks({
      tasks: [
        freeform("a", { ref: "a" }),
        freeform("b", { ref: "b", dependencies: ["a"] }),
        freeform("c"),
      ],
      idempotencyKey: "",
    });
    const worker = (
      await h.client.registerWorker({
        name: "w",
        type: AgentType.AGENT_TYPE_BACKEND,
        capabilities: [],
        executors: [],
        maxConcurrency: 5,
        agentId: "w1",
      })
    ).agent!.id;
    const claim = await h.client.claimTask({ agentId: worker, waitMs: 0 });
    expect(claim.task?.title).toBe("a");
    await h.restart();
    // The lease survived: the worker completes after the restart.
    await h.client.completeTask({
      taskId: claim.task!.id,
      leaseToken: claim.lease!.token,
      outputJson: "",
    });
    const b = await h.client.getTask({ id: created.tasks[1]!.id });
    expect(b.task?.status).toBe(TaskStatus.TASK_STATUS_PENDING);
    const titles = [];
    for (let i = 0; i < 2; i += 1)
      titles.push((await h.client.claimTask({ agentId: worker, waitMs: 0 })).task?.title);
    expect(titles.sort()).toEqual(["b", "c"]);
    // Counts by status survive the restart: 1 completed, 2 assigned.
    const status = await h.client.getSystemStatus({});
    expect(Object.fromEntries(status.taskCounts.map((c) => [c.status, c.count]))).toEqual({
      [TaskStatus.TASK_STATUS_COMPLETED]: 1,
      [TaskStatus.TASK_STATUS_ASSIGNED]: 2,
    });
  });
});

describe("input validation", () => {
  it("names the field of a bad task", async () => {
    const error = await errorOf(
      h.client.createTasks({ tasks: [freeform("  ")], idempotencyKey: "" }),
    );
    expect(error.code).toBe("invalid_argument");
    expect(error.details.field).toBe("title");
    const batch = await errorOf(
      h.client.createTasks({
        tasks: [
          freeform("ok"),
          freeform("x", {
            action: {
              kind: { $case: "command", value: { argv: [], cwd: "", env: {}, timeoutMs: 0 } },
            },
          }),
        ],
        idempotencyKey: "",
      }),
    );
    expect(batch.details.field).toBe("tasks[1].action.command.argv");
    expect(await countTasks()).toBe(0);
  });
});
