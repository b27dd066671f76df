import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AgentFrame, AgentFrameSchema } from "../gen/mcp/v1/agent_pb.js";
import { CoordinatorService } from "../gen/mcp/v1/coordinator_pb.js";
import { HealthCheckResponse_ServingStatus, Health } from "../gen/grpc/health/v1/health_pb.js";
import { AgentType, TaskSpecSchema, TaskStatus } from "../gen/mcp/v1/task_pb.js";
import {
  type CoordinatorHarness,
  startCoordinatorHarness,
} from "../helpers/coordinator-harness.js";

/**
 * The coordinator serves @grpc/grpc-js; these calls come from Connect (@connectrpc/connect-node
 * with @bufbuild/protobuf descriptors generated separately from the same .proto files), an
 * independent gRPC implementation. If either side strayed from standard gRPC over HTTP/2,
 * they would not understand each other.
 */
let h: CoordinatorHarness;
let sessions: Http2SessionManager;
beforeEach(async () => {
  h = await startCoordinatorHarness();
  sessions = new Http2SessionManager(`http://${h.address}`);
});
afterEach(async () => {
  sessions.abort();
  await h.close();
});

function connectClient() {
  return createClient(
    CoordinatorService,
    createGrpcTransport({ baseUrl: `http://${h.address}`, sessionManager: sessions }),
  );
}

/** A request stream the test can push frames into. */
function requestStream() {
  const queue: AgentFrame[] = [];
  let wake: (() => void) | null = null;
  let closed = false;
  return {
    push(frame: AgentFrame) {
      queue.push(frame);
      wake?.();
    },
    close() {
      closed = true;
      wake?.();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (queue.length > 0) yield queue.shift() as AgentFrame;
        else if (closed) return;
        else await new Promise<void>((r) => (wake = r));
      }
    },
  };
}

describe("standard gRPC on the wire (Connect client against the grpc-js coordinator)", () => {
  it("answers health, unary calls and error codes", async () => {
    const health = createClient(
      Health,
      createGrpcTransport({ baseUrl: `http://${h.address}`, sessionManager: sessions }),
    );
    expect((await health.check({ service: "" })).status).toBe(
      HealthCheckResponse_ServingStatus.SERVING,
    );

    const client = connectClient();
    const created = await client.createTasks({
      tasks: [create(TaskSpecSchema, { title: "from connect", type: AgentType.BACKEND })],
    });
    expect(created.tasks[0]?.status).toBe(TaskStatus.PENDING);
    const got = await client.getTask({ id: created.tasks[0]!.id });
    expect(got.task?.title).toBe("from connect");
    expect(got.history).toHaveLength(1);

    const error = await client.getTask({ id: "task_missing" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.NotFound);
    expect((error as ConnectError).rawMessage).toContain("task_missing");
  });

  it("runs a task as an agent over the bidirectional stream", async () => {
    const client = connectClient();
    const created = await client.createTasks({
      tasks: [
        create(TaskSpecSchema, {
          title: "noop via connect",
          action: { kind: { case: "noop", value: {} } },
        }),
      ],
    });
    const taskId = created.tasks[0]!.id;
    const requests = requestStream();
    requests.push(
      create(AgentFrameSchema, {
        messages: [
          {
            kind: {
              case: "register",
              value: {
                agentId: "connect-agent",
                name: "connect agent",
                type: AgentType.QA,
                capabilities: ["testing"],
                executors: ["noop"],
                maxConcurrency: 2,
                pid: 1,
              },
            },
          },
        ],
      }),
    );
    const seen: string[] = [];
    let accepted = false;
    for await (const frame of client.connect(requests)) {
      for (const message of frame.messages) {
        seen.push(message.kind.case ?? "none");
        if (message.kind.case === "assignment") {
          const { task, attempt } = message.kind.value;
          expect(task?.id).toBe(taskId);
          requests.push(
            create(AgentFrameSchema, {
              messages: [
                { kind: { case: "started", value: { taskId, attempt } } },
                {
                  kind: {
                    case: "finished",
                    value: { taskId, attempt, result: { outputJson: '"done"' } },
                  },
                },
              ],
            }),
          );
        }
        if (message.kind.case === "finishAck") {
          accepted = message.kind.value.accepted;
          requests.close();
        }
      }
    }
    expect(seen).toEqual(["registered", "assignment", "finishAck"]);
    expect(accepted).toBe(true);
    const done = await client.getTask({ id: taskId });
    expect(done.task?.status).toBe(TaskStatus.COMPLETED);
    expect(done.task?.result?.outputJson).toBe('"done"');
    expect(done.task?.agentId).toBe("connect-agent");
  });
});
