import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AgentType, TaskStatus } from "../../src/gen/mcp/v1/task.js";
import {
  type CoordinatorHarness,
  startCoordinatorHarness,
} from "../helpers/coordinator-harness.js";
import { expectCode } from "../helpers/expect-code.js";
import { freeform } from "../helpers/wire-builders.js";

let h: CoordinatorHarness;
beforeEach(async () => {
  h = await startCoordinatorHarness();
});
afterEach(async () => {
  await h.close();
});

async function worker(agentId: string, type: AgentType): Promise<string> {
  const r = await h.client.registerWorker({
    name: agentId,
    type,
    capabilities: [],
    executors: [],
    maxConcurrency: 5,
    agentId,
  });
  return r.agent!.id;
}

/** Claims the next task for `agentId`; returns its id and lease token. */
async function claim(agentId: string): Promise<{ id: string; token: string }> {
  const c = await h.client.claimTask({ agentId, waitMs: 2_000 });
  expect(c.task, `${agentId} got nothing to claim`).toBeDefined();
  return { id: c.task!.id, token: c.lease!.token };
}

async function create(title: string, type: AgentType, parentTaskId = ""): Promise<string> {
  const { tasks } = await h.client.createTasks({
    tasks: [freeform(title, { type, parentTaskId })],
    idempotencyKey: "",
  });
  return tasks[0]!.id;
}

async function status(id: string): Promise<TaskStatus> {
  return (await h.client.getTask({ id })).task!.status;
}

describe("subtasks", () => {
  it("a parent that finished its own work waits for its subtasks, then completes with its result", async () => {
    await worker("backend-w", AgentType.AGENT_TYPE_BACKEND);
    await worker("qa-w", AgentType.AGENT_TYPE_QA);
    const parentId = await create("Build the checkout", AgentType.AGENT_TYPE_BACKEND);
    const parent = await claim("backend-w");
    expect(parent.id).toBe(parentId);

    // The collaborator splits its part into two subtasks of the running parent.
    const s1 = await create("Test card payments", AgentType.AGENT_TYPE_QA, parentId);
    const s2 = await create("Test refunds", AgentType.AGENT_TYPE_QA, parentId);
    expect((await h.client.getTask({ id: s1 })).task?.parentTaskId).toBe(parentId);

    await h.client.completeTask({
      taskId: parentId,
      leaseToken: parent.token,
      outputJson: JSON.stringify({ endpoint: "/checkout" }),
    });
    const waiting = await h.client.getTask({ id: parentId });
    expect(waiting.task?.status).toBe(TaskStatus.TASK_STATUS_BLOCKED);
    expect(waiting.task?.statusReason).toContain("waiting for 2 subtasks");

    for (const expected of [s1, s2]) {
      const sub = await claim("qa-w");
      expect(sub.id).toBe(expected);
      await h.client.completeTask({ taskId: sub.id, leaseToken: sub.token, outputJson: "true" });
      if (expected === s1) expect(await status(parentId)).toBe(TaskStatus.TASK_STATUS_BLOCKED);
    }
    const done = await h.client.getTask({ id: parentId });
    expect(done.task?.status).toBe(TaskStatus.TASK_STATUS_COMPLETED);
    expect(JSON.parse(done.task!.result!.outputJson)).toEqual({ endpoint: "/checkout" });
    const reasons = done.history.map((e) => e.reason);
    expect(reasons.filter((r) => r.startsWith("subtask "))).toHaveLength(2);
    expect(reasons.at(-1)).toBe("its subtasks completed");
  });

  it("a failed subtask fails its parent, and its parent's dependents are blocked for good", async () => {
    await worker("backend-w", AgentType.AGENT_TYPE_BACKEND);
    await worker("qa-w", AgentType.AGENT_TYPE_QA);
    const parentId = await create("Build search", AgentType.AGENT_TYPE_BACKEND);
    const parent = await claim("backend-w");
    const { tasks } = await h.client.createTasks({
      tasks: [
        freeform("Release search", { type: AgentType.AGENT_TYPE_DEVOPS, dependencies: [parentId] }),
      ],
      idempotencyKey: "",
    });
    const dependent = tasks[0]!.id;
    const sub = await create("Test search", AgentType.AGENT_TYPE_QA, parentId);
    const claimed = await claim("qa-w");
    expect(claimed.id).toBe(sub);
    await h.client.failTask({
      taskId: sub,
      leaseToken: claimed.token,
      error: { code: "internal", message: "ranking is wrong", retryable: false },
    });
    // The parent is still running; it learns when it finishes.
    expect([TaskStatus.TASK_STATUS_ASSIGNED, TaskStatus.TASK_STATUS_IN_PROGRESS]).toContain(
      await status(parentId),
    );
    await h.client.completeTask({ taskId: parentId, leaseToken: parent.token, outputJson: "" });
    const failed = await h.client.getTask({ id: parentId });
    expect(failed.task?.status).toBe(TaskStatus.TASK_STATUS_FAILED);
    expect(failed.task?.statusReason).toContain(`subtask ${sub} failed: `);
    expect(failed.task?.result?.error?.code).toBe("failed_precondition");
    const blocked = await h.client.getTask({ id: dependent });
    expect(blocked.task?.status).toBe(TaskStatus.TASK_STATUS_BLOCKED);
    expect(blocked.task?.statusReason).toContain("blocked for good");
  });

  it("refuses a subtask of an unknown or finished task, naming parent_task_id", async () => {
    await worker("backend-w", AgentType.AGENT_TYPE_BACKEND);
    const unknown = await expectCode(
      create("orphan", AgentType.AGENT_TYPE_QA, "task_nope"),
      "not_found",
    );
    expect(unknown.details.field).toBe("parent_task_id");
    const parentId = await create("quick", AgentType.AGENT_TYPE_BACKEND);
    const parent = await claim("backend-w");
    await h.client.completeTask({ taskId: parentId, leaseToken: parent.token, outputJson: "" });
    const finished = await expectCode(
      create("too late", AgentType.AGENT_TYPE_QA, parentId),
      "failed_precondition",
    );
    expect(finished.message).toContain("completed");
  });

  it("a waiting parent and its subtasks survive a coordinator restart", async () => {
    await worker("backend-w", AgentType.AGENT_TYPE_BACKEND);
    await worker("qa-w", AgentType.AGENT_TYPE_QA);
    const parentId = await create("Build profiles", AgentType.AGENT_TYPE_BACKEND);
    const parent = await claim("backend-w");
    const sub = await create("Test profiles", AgentType.AGENT_TYPE_QA, parentId);
    await h.client.completeTask({ taskId: parentId, leaseToken: parent.token, outputJson: "1" });
    expect(await status(parentId)).toBe(TaskStatus.TASK_STATUS_BLOCKED);

    await h.restart();
    expect(await status(parentId)).toBe(TaskStatus.TASK_STATUS_BLOCKED);
    await worker("qa-w", AgentType.AGENT_TYPE_QA);
    const claimed = await claim("qa-w");
    expect(claimed.id).toBe(sub);
    await h.client.completeTask({ taskId: sub, leaseToken: claimed.token, outputJson: "2" });
    expect(await status(parentId)).toBe(TaskStatus.TASK_STATUS_COMPLETED);
  });
});
