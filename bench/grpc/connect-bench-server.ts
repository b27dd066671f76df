import { createServer } from "node:http2";
import type { AddressInfo } from "node:net";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { AgentFrame, CoordinatorFrame } from "../../test/gen/mcp/v1/agent_pb.js";
import {
  CoordinatorService,
  type GetTaskRequest,
  type GetTaskResponse,
} from "../../test/gen/mcp/v1/coordinator_pb.js";
import type { BenchServer } from "./bench-server.js";
import { esAssignmentFrame, esGetTaskResponse } from "./es-messages.js";

/**
 * A CoordinatorService on Connect (gRPC protocol only, HTTP/2 without TLS) that implements
 * only GetTask and Connect, following the benchmark protocol of bench-messages.ts.
 */
export async function startConnectBenchServer(host: string): Promise<BenchServer> {
  const template = esGetTaskResponse("");
  const frames = new Map<number, CoordinatorFrame>();
  const frameOf = (count: number) => {
    let frame = frames.get(count);
    if (!frame) {
      frame = esAssignmentFrame(count);
      frames.set(count, frame);
    }
    return frame;
  };

  const getTask = (request: GetTaskRequest): GetTaskResponse => ({
    ...template,
    task: template.task && { ...template.task, id: request.id },
  });

  async function* connect(requests: AsyncIterable<AgentFrame>): AsyncIterable<CoordinatorFrame> {
    let pushBatch = 0;
    let stopped = false;
    const replies: CoordinatorFrame[] = [];
    let wake: (() => void) | undefined;
    const signal = () => {
      const waiting = wake;
      wake = undefined;
      waiting?.();
    };
    // Requests are read concurrently with the responses this generator yields; each yield
    // resolves once the frame is written, so flow control decides the pace of a push.
    const reading = (async () => {
      for await (const frame of requests) {
        let finished = 0;
        for (const message of frame.messages) {
          if (message.kind.case === "register")
            pushBatch = Math.max(1, message.kind.value.maxConcurrency);
          else if (message.kind.case === "finished") finished += 1;
          else if (message.kind.case === "drain") stopped = true;
        }
        if (finished > 0) replies.push(frameOf(finished));
        signal();
        if (stopped) return;
      }
      stopped = true;
      signal();
    })();
    reading.catch(() => {
      stopped = true;
      signal();
    });
    for (;;) {
      const reply = replies.shift();
      if (reply) yield reply;
      else if (stopped) return;
      else if (pushBatch > 0) yield frameOf(pushBatch);
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  }

  const server = createServer(
    connectNodeAdapter({
      grpc: true,
      grpcWeb: false,
      connect: false,
      routes: (router) => router.service(CoordinatorService, { getTask, connect }),
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open client sessions would keep close() waiting; the benchmark is done with them.
        setTimeout(resolve, 1_000).unref();
      }),
  };
}
