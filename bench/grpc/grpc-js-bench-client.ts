import type { AgentFrame, CoordinatorFrame } from "../../src/gen/mcp/v1/agent.js";
import { CoordinatorServiceClient } from "../../src/gen/mcp/v1/coordinator.js";
import { CLIENT_OPTIONS, insecure, promiseClient } from "../../src/rpc/index.js";
import { DRAIN_FRAME, finishedFrame, registerFrame } from "./bench-messages.js";
import { type BenchClient, checkFrame, type StreamRun } from "./bench-client.js";

const CALL_TIMEOUT_MS = 10_000;

/** A benchmark client on @grpc/grpc-js, through the project's own client plumbing. */
export function createGrpcJsBenchClient(address: string): BenchClient {
  const client = new CoordinatorServiceClient(address, insecure(), CLIENT_OPTIONS);
  const calls = promiseClient(client, CALL_TIMEOUT_MS);

  return {
    library: "grpc-js",
    async getTask(id) {
      const response = await calls.getTask({ id });
      if (response.task?.id !== id)
        throw new Error(`grpc-js: asked for ${id}, got ${response.task?.id}`);
    },

    push: (batch, durationMs) =>
      new Promise<StreamRun>((resolve, reject) => {
        const call = client.connect();
        let messages = 0;
        const started = performance.now();
        call.on("data", (frame: CoordinatorFrame) => {
          messages += frame.messages.length;
        });
        call.on("error", reject);
        call.on("end", () => resolve({ messages, seconds: (performance.now() - started) / 1000 }));
        call.write(registerFrame(batch));
        setTimeout(() => {
          call.write(DRAIN_FRAME);
          call.end();
        }, durationMs);
      }),

    echo: (batch, window, durationMs) =>
      new Promise<StreamRun>((resolve, reject) => {
        const call = client.connect();
        const frame: AgentFrame = finishedFrame(batch);
        let messages = 0;
        let inFlight = 0;
        let stopping = false;
        const started = performance.now();
        const deadline = started + durationMs;
        const fill = () => {
          while (!stopping && inFlight < window) {
            call.write(frame);
            inFlight += 1;
          }
          if (stopping && inFlight === 0) call.end();
        };
        call.on("data", (reply: CoordinatorFrame) => {
          try {
            checkFrame("grpc-js", reply.messages.length, batch);
          } catch (error: unknown) {
            call.cancel();
            reject(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          messages += reply.messages.length;
          inFlight -= 1;
          if (performance.now() >= deadline) stopping = true;
          fill();
        });
        call.on("error", reject);
        call.on("end", () => resolve({ messages, seconds: (performance.now() - started) / 1000 }));
        fill();
      }),

    close: () => client.close(),
  };
}
