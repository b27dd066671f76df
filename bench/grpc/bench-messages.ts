/**
 * The messages both libraries exchange in the gRPC library benchmark, built once with the
 * project's own generated types (ts-proto) and sized like the real thing: a task as the
 * coordinator stores and sends it, an agent's completion report.
 *
 * The stream follows a small protocol that both benchmark servers implement identically:
 * - a `register` message starts a push of Assignment frames of `max_concurrency` messages
 *   each, as fast as flow control allows (one way, coordinator -> agent);
 * - a `drain` message stops the push and ends the response stream;
 * - a frame of N `finished` messages is answered with one frame of N Assignment messages
 *   (echoed: the agent reports, the coordinator hands out the next task);
 * - the client half-closing ends the response stream.
 */
import type {
  AgentFrame,
  AgentMessage,
  CoordinatorFrame,
  CoordinatorMessage,
} from "../../src/gen/mcp/v1/agent.js";
import type { GetTaskResponse } from "../../src/gen/mcp/v1/coordinator.js";
import {
  AgentType,
  Priority,
  type Task,
  type TaskEvent,
  TaskStatus,
} from "../../src/gen/mcp/v1/task.js";

const CREATED_AT_MS = 1_767_225_600_000;

/** A task as the coordinator reports an assigned command task. */
export function benchTask(id: string): Task {
  return {
    id,
    title: "Implement the user profile REST endpoint",
    description:
      "Add GET and PATCH /api/users/{id}/profile with validation of display name, avatar URL and " +
      "time zone; return 404 for unknown users and 422 for invalid fields. Cover both with tests.",
    type: AgentType.AGENT_TYPE_BACKEND,
    priority: Priority.PRIORITY_HIGH,
    status: TaskStatus.TASK_STATUS_ASSIGNED,
    dependencies: [
      "task_2b7f3c1e-8d4a-4f0e-9c61-5a3e2d1b0f47",
      "task_91c0e6d2-3f5b-4a87-b2d9-7e4c1a6f8b03",
    ],
    requiredCapabilities: ["api", "typescript", "testing"],
    action: {
      kind: {
        $case: "command",
        value: {
          argv: ["npm", "test", "--", "--run", "users/profile"],
          cwd: "",
          env: { CI: "1" },
          timeoutMs: 600_000,
        },
      },
    },
    metadataJson: '{"component":"api","estimate_hours":4,"ticket":"SHOP-1423"}',
    parentTaskId: "",
    projectId: "proj_4e9a7b21-6c3d-4f18-a5e0-2d8b9c7f1a64",
    attempt: 1,
    maxAttempts: 3,
    failedAttempts: 0,
    agentId: "backend-1",
    statusReason: "",
    createdAtMs: CREATED_AT_MS,
    updatedAtMs: CREATED_AT_MS + 1_250,
    startedAtMs: 0,
    finishedAtMs: 0,
    notBeforeMs: 0,
    leaseExpiresAtMs: CREATED_AT_MS + 31_250,
    waitingFor: "",
  };
}

function event(
  taskId: string,
  from: TaskStatus,
  to: TaskStatus,
  actor: string,
  atMs: number,
  details: string,
): TaskEvent {
  return {
    taskId,
    atMs,
    from,
    to,
    actor,
    reason: "",
    attempt: to === TaskStatus.TASK_STATUS_PENDING ? 0 : 1,
    detailsJson: details,
  };
}

/** What GetTask answers for an assigned task: the task and its history so far. */
export function benchGetTaskResponse(id: string): GetTaskResponse {
  return {
    task: benchTask(id),
    history: [
      event(
        id,
        TaskStatus.TASK_STATUS_UNSPECIFIED,
        TaskStatus.TASK_STATUS_PENDING,
        "client",
        CREATED_AT_MS,
        "{}",
      ),
      event(
        id,
        TaskStatus.TASK_STATUS_PENDING,
        TaskStatus.TASK_STATUS_ASSIGNED,
        "coordinator",
        CREATED_AT_MS + 1_250,
        '{"agent":"backend-1","score":0.82,"load":"2/5","matched":["api","python","testing"]}',
      ),
    ],
    waitingFor: "",
  };
}

/** The id a benchmark caller asks for (task ids are `task_` and a UUID). */
export function benchTaskId(caller: number): string {
  return `task_00000000-0000-4000-8000-${caller.toString().padStart(12, "0")}`;
}

const assignment: CoordinatorMessage = {
  kind: {
    $case: "assignment",
    value: {
      task: benchTask("task_6d1f0a93-2c4e-4b7a-8e15-f3a9c2d7b480"),
      attempt: 1,
      leaseExpiresAtMs: CREATED_AT_MS + 31_250,
    },
  },
};

const finished: AgentMessage = {
  kind: {
    $case: "finished",
    value: {
      taskId: "task_6d1f0a93-2c4e-4b7a-8e15-f3a9c2d7b480",
      attempt: 1,
      result: {
        outputJson: '{"exit_code":0,"stdout":"Tests: 12 passed, 12 total\\n","stderr":""}',
      },
    },
  },
};

/** `count` Assignment messages in one frame. */
export function assignmentFrame(count: number): CoordinatorFrame {
  return { messages: Array.from({ length: count }, () => assignment) };
}

/** `count` TaskFinished messages in one frame. */
export function finishedFrame(count: number): AgentFrame {
  return { messages: Array.from({ length: count }, () => finished) };
}

/** Starts a push of frames of `batch` assignments. */
export function registerFrame(batch: number): AgentFrame {
  return {
    messages: [
      {
        kind: {
          $case: "register",
          value: {
            agentId: "backend-1",
            name: "backend-1",
            type: AgentType.AGENT_TYPE_BACKEND,
            capabilities: ["api", "typescript", "testing"],
            executors: ["command", "noop"],
            maxConcurrency: batch,
            address: "127.0.0.1:50103",
            host: "localhost",
            pid: process.pid,
            held: [],
          },
        },
      },
    ],
  };
}

/** Stops a push. */
export const DRAIN_FRAME: AgentFrame = { messages: [{ kind: { $case: "drain", value: {} } }] };
