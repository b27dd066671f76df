import { createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import type { AgentFrame } from "../../test/gen/mcp/v1/agent_pb.js";
import { CoordinatorService } from "../../test/gen/mcp/v1/coordinator_pb.js";
import { AsyncQueue } from "./async-queue.js";
import { type BenchClient, checkFrame, type StreamRun } from "./bench-client.js";
import { ES_DRAIN_FRAME, esFinishedFrame, esRegisterFrame } from "./es-messages.js";

const CALL_TIMEOUT_MS = 10_000;

/** A benchmark client on Connect's gRPC transport (HTTP/2 without TLS, one session). */
export function createConnectBenchClient(address: string): BenchClient {
  const baseUrl = `http://${address}`;
  // Our own session manager, so that close() can end the HTTP/2 session at once.
  const sessionManager = new Http2SessionManager(baseUrl);
  const transport = createGrpcTransport({ baseUrl, sessionManager });
  const client = createClient(CoordinatorService, transport);

  return {
    library: "connect",
    async getTask(id) {
      const response = await client.getTask({ id }, { timeoutMs: CALL_TIMEOUT_MS });
      if (response.task?.id !== id)
        throw new Error(`connect: asked for ${id}, got ${response.task?.id}`);
    },

    async push(batch, durationMs): Promise<StreamRun> {
      const requests = new AsyncQueue<AgentFrame>();
      let messages = 0;
      const started = performance.now();
      requests.push(esRegisterFrame(batch));
      const timer = setTimeout(() => {
        requests.push(ES_DRAIN_FRAME);
        requests.close();
      }, durationMs);
      try {
        for await (const frame of client.connect(requests)) messages += frame.messages.length;
      } finally {
        clearTimeout(timer);
      }
      return { messages, seconds: (performance.now() - started) / 1000 };
    },

    async echo(batch, window, durationMs): Promise<StreamRun> {
      const requests = new AsyncQueue<AgentFrame>();
      const frame = esFinishedFrame(batch);
      let messages = 0;
      let inFlight = 0;
      let stopping = false;
      const started = performance.now();
      const deadline = started + durationMs;
      const fill = () => {
        while (!stopping && inFlight < window) {
          requests.push(frame);
          inFlight += 1;
        }
        if (stopping && inFlight === 0) requests.close();
      };
      fill();
      for await (const reply of client.connect(requests)) {
        checkFrame("connect", reply.messages.length, batch);
        messages += reply.messages.length;
        inFlight -= 1;
        if (performance.now() >= deadline) stopping = true;
        fill();
      }
      return { messages, seconds: (performance.now() - started) / 1000 };
    },

    close: () => sessionManager.abort(),
  };
}
