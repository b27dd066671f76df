import type { sendUnaryData, ServerDuplexStream, ServerUnaryCall } from "@grpc/grpc-js";
import type { AgentFrame, CoordinatorFrame } from "../../src/gen/mcp/v1/agent.js";
import {
  CoordinatorServiceService,
  type GetTaskRequest,
  type GetTaskResponse,
} from "../../src/gen/mcp/v1/coordinator.js";
import { startGrpcServer } from "../../src/rpc/index.js";
import { assignmentFrame, benchGetTaskResponse } from "./bench-messages.js";
import type { BenchServer } from "./bench-server.js";

/**
 * A CoordinatorService on @grpc/grpc-js (through the project's own `startGrpcServer`) that
 * implements only GetTask and Connect, following the benchmark protocol of bench-messages.ts.
 */
export async function startGrpcJsBenchServer(host: string): Promise<BenchServer> {
  const template = benchGetTaskResponse("");
  const frames = new Map<number, CoordinatorFrame>();
  const frameOf = (count: number) => {
    let frame = frames.get(count);
    if (!frame) {
      frame = assignmentFrame(count);
      frames.set(count, frame);
    }
    return frame;
  };

  const getTask = (
    call: ServerUnaryCall<GetTaskRequest, GetTaskResponse>,
    callback: sendUnaryData<GetTaskResponse>,
  ) => {
    callback(null, {
      ...template,
      task: template.task && { ...template.task, id: call.request.id },
    });
  };

  const connect = (call: ServerDuplexStream<AgentFrame, CoordinatorFrame>) => {
    let pushBatch = 0;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      call.end();
    };
    // Writes until the stream's buffer is full, then resumes on "drain": flow control decides
    // the pace, and incoming frames (a drain request) are read in between.
    const pump = () => {
      while (!ended && call.write(frameOf(pushBatch)));
      if (!ended) call.once("drain", pump);
    };
    call.on("data", (frame: AgentFrame) => {
      let finished = 0;
      for (const message of frame.messages) {
        switch (message.kind?.$case) {
          case "register":
            pushBatch = Math.max(1, message.kind.value.maxConcurrency);
            pump();
            break;
          case "finished":
            finished += 1;
            break;
          case "drain":
            end();
            return;
          default:
            break;
        }
      }
      if (finished > 0 && !ended) call.write(frameOf(finished));
    });
    call.on("end", end);
    call.on("error", () => {
      ended = true;
    });
  };

  const running = await startGrpcServer({
    host,
    port: 0,
    services: [{ definition: CoordinatorServiceService, implementation: { getTask, connect } }],
  });
  return { port: running.port, close: () => running.close(1_000) };
}
