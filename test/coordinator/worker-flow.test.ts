import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/domain/index.js";
import { AgentType, Priority, TaskStatus } from "../../src/gen/mcp/v1/task.js";
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

async function registerWorker(
  name = "alice",
  type = AgentType.AGENT_TYPE_BACKEND,
  maxConcurrency = 1,
) {
  const r = await h.client.registerWorker({
    name,
    type,
    capabilities: [],
    executors: [],
    maxConcurrency,
    agentId: "",
  });
  return r.agent!.id;
}

async function expectError(promise: Promise<unknown>, code: string): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

describe("free-form work through an external worker", () => {
  it("waits, says what it waits for, then is claimed, progressed and completed once", async () => {
    const created = await h.client.createTasks({
      tasks: [freeform("Implement user authentication")],
      idempotencyKey: "",
    });
    const task = created.tasks[0]!;
    expect(task.status).toBe(TaskStatus.TASK_STATUS_PENDING);
    const waiting = await h.client.getTask({ id: task.id });
    expect(waiting.waitingFor).toContain("free-form work");
    expect(waiting.waitingFor).toContain("POST /api/v1/workers");

    const worker = await registerWorker();
    const claim = await h.client.claimTask({ agentId: worker, waitMs: 0 });
    expect(claim.task?.id).toBe(task.id);
    expect(claim.lease?.attempt).toBe(1);
    const token = claim.lease!.token;

    await h.client.reportProgress({
      taskId: task.id,
      leaseToken: token,
      percent: 40,
      message: "halfway",
    });
    const done = await h.client.completeTask({
      taskId: task.id,
      leaseToken: token,
      outputJson: JSON.stringify({ pr: 12 }),
    });
    expect(done.task?.status).toBe(TaskStatus.TASK_STATUS_COMPLETED);

    const view = await h.client.getTask({ id: task.id });
    expect(view.task?.result?.outputJson).toBe('{"pr":12}');
    expect(view.history.map((e) => e.to)).toEqual([
      TaskStatus.TASK_STATUS_PENDING,
      TaskStatus.TASK_STATUS_ASSIGNED,
      TaskStatus.TASK_STATUS_IN_PROGRESS,
      TaskStatus.TASK_STATUS_COMPLETED,
    ]);
    const assigned = view.history[1]!;
    expect(assigned.reason).toContain(worker);
    expect(JSON.parse(assigned.detailsJson).agent_id).toBe(worker);

    // A second completion with the same lease is refused: completion is recorded once.
    await expectError(
      h.client.completeTask({ taskId: task.id, leaseToken: token, outputJson: "" }),
      "failed_precondition",
    );
  });

  it("long-polls a claim until a task arrives", async () => {
    const worker = await registerWorker();
    const claim = h.client.claimTask({ agentId: worker, waitMs: 5_000 });
    await new Promise((r) => setTimeout(r, 100));
    const created = await h.client.createTasks({
      tasks: [freeform("late task")],
      idempotencyKey: "",
    });
    expect((await claim).task?.id).toBe(created.tasks[0]!.id);
  });

  it("dispatches by priority, then first in first out", async () => {
    const specs = [
      freeform("low", { priority: Priority.PRIORITY_LOW }),
      freeform("high 1", { priority: Priority.PRIORITY_HIGH }),
      freeform("critical", { priority: Priority.PRIORITY_CRITICAL }),
      freeform("high 2", { priority: Priority.PRIORITY_HIGH }),
      freeform("medium", { priority: Priority.PRIORITY_MEDIUM }),
    ];
    for (const spec of specs) await h.client.createTasks({ tasks: [spec], idempotencyKey: "" });
    const worker = await registerWorker("w", AgentType.AGENT_TYPE_BACKEND, 5);
    const order: string[] = [];
    for (let i = 0; i < 5; i += 1)
      order.push((await h.client.claimTask({ agentId: worker, waitMs: 0 })).task!.title);
    expect(order).toEqual(["critical", "high 1", "high 2", "medium", "low"]);
  });

  it("routes only to workers of the task's type with its capabilities", async () => {
    await h.client.createTasks({
      tasks: [freeform("needs go", { requiredCapabilities: ["Go"] })],
      idempotencyKey: "",
    });
    const frontend = await registerWorker("f", AgentType.AGENT_TYPE_FRONTEND);
    expect((await h.client.claimTask({ agentId: frontend, waitMs: 0 })).task).toBeUndefined();
    const pythonOnly = (
      await h.client.registerWorker({
        name: "p",
        type: AgentType.AGENT_TYPE_BACKEND,
        capabilities: ["python"],
        executors: [],
        maxConcurrency: 1,
        agentId: "",
      })
    ).agent!.id;
    expect((await h.client.claimTask({ agentId: pythonOnly, waitMs: 0 })).task).toBeUndefined();
    const backend = await registerWorker("b", AgentType.AGENT_TYPE_BACKEND);
    expect((await h.client.claimTask({ agentId: backend, waitMs: 0 })).task?.title).toBe(
      "needs go",
    );
  });

  it("refuses a stale attempt after its lease expired and the task moved on", async () => {
    const created = await h.client.createTasks({ tasks: [freeform("slow")], idempotencyKey: "" });
    const first = await registerWorker("first");
    const claim1 = await h.client.claimTask({ agentId: first, waitMs: 0 });
    expect(claim1.lease?.attempt).toBe(1);
    // Lease TTL is 1.5 s in tests and retry backoff at most 200 ms; the second worker waits.
    const second = await registerWorker("second");
    const claim2 = await h.client.claimTask({ agentId: second, waitMs: 10_000 });
    expect(claim2.task?.id).toBe(created.tasks[0]!.id);
    expect(claim2.lease?.attempt).toBe(2);
    await expectError(
      h.client.completeTask({
        taskId: created.tasks[0]!.id,
        leaseToken: claim1.lease!.token,
        outputJson: "",
      }),
      "failed_precondition",
    );
    const done = await h.client.completeTask({
      taskId: created.tasks[0]!.id,
      leaseToken: claim2.lease!.token,
      outputJson: "",
    });
    expect(done.task?.status).toBe(TaskStatus.TASK_STATUS_COMPLETED);
    const view = await h.client.getTask({ id: created.tasks[0]!.id });
    expect(view.history.filter((e) => e.to === TaskStatus.TASK_STATUS_COMPLETED)).toHaveLength(1);
    expect(view.history.some((e) => e.reason.includes("lease expired"))).toBe(true);
  });

  it("retries a failing task with backoff, then fails it for good and blocks its dependents", async () => {
    const created = await h.client.createTasks({
      tasks: [
        freeform("flaky", { ref: "a", maxAttempts: 2 }),
        freeform("after", { ref: "b", dependencies: ["a"] }),
      ],
      idempotencyKey: "",
    });
    const [a, b] = created.tasks;
    expect(b!.status).toBe(TaskStatus.TASK_STATUS_BLOCKED);
    const worker = await registerWorker();
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const claim = await h.client.claimTask({ agentId: worker, waitMs: 5_000 });
      expect(claim.task?.id).toBe(a!.id);
      expect(claim.lease?.attempt).toBe(attempt);
      await h.client.failTask({
        taskId: a!.id,
        leaseToken: claim.lease!.token,
        error: { code: "internal", message: `boom ${attempt}`, retryable: true },
      });
    }
    const failed = await h.client.getTask({ id: a!.id });
    expect(failed.task?.status).toBe(TaskStatus.TASK_STATUS_FAILED);
    expect(failed.task?.statusReason).toContain("boom 2");
    const dependent = await h.client.getTask({ id: b!.id });
    expect(dependent.task?.status).toBe(TaskStatus.TASK_STATUS_BLOCKED);
    expect(dependent.task?.statusReason).toContain(`dependency ${a!.id} failed`);
    expect(dependent.waitingFor).toContain("cannot run");
  });

  it("does not retry an error that says it is not retryable", async () => {
    const created = await h.client.createTasks({
      tasks: [freeform("bad input")],
      idempotencyKey: "",
    });
    const worker = await registerWorker();
    const claim = await h.client.claimTask({ agentId: worker, waitMs: 0 });
    const failed = await h.client.failTask({
      taskId: created.tasks[0]!.id,
      leaseToken: claim.lease!.token,
      error: { code: "invalid_argument", message: "no such repository", retryable: false },
    });
    expect(failed.task?.status).toBe(TaskStatus.TASK_STATUS_FAILED);
    expect(failed.task?.failedAttempts).toBe(1);
  });

  it("hands back a deregistered worker's tasks without counting a failure", async () => {
    const created = await h.client.createTasks({ tasks: [freeform("t")], idempotencyKey: "" });
    const worker = await registerWorker();
    await h.client.claimTask({ agentId: worker, waitMs: 0 });
    const released = await h.client.deregisterWorker({ agentId: worker });
    expect(released.releasedTaskIds).toEqual([created.tasks[0]!.id]);
    const view = await h.client.getTask({ id: created.tasks[0]!.id });
    expect(view.task?.status).toBe(TaskStatus.TASK_STATUS_PENDING);
    expect(view.task?.failedAttempts).toBe(0);
  });

  it("refuses a claim beyond the worker's concurrency", async () => {
    await h.client.createTasks({ tasks: [freeform("1"), freeform("2")], idempotencyKey: "" });
    const worker = await registerWorker();
    await h.client.claimTask({ agentId: worker, waitMs: 0 });
    await expectError(h.client.claimTask({ agentId: worker, waitMs: 0 }), "failed_precondition");
  });
});
