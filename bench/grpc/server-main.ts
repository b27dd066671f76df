/**
 * A benchmark server in its own process (so that server and client each have a core, as the
 * coordinator and an agent would): `node server-main.js grpc-js|connect`. It reports
 * `{type: "ready", port}`, answers CPU queries, and exits when its parent disconnects.
 */
import type { ChildMessage } from "../../src/lifecycle/index.js";
import { type BenchServer, isGrpcLibrary } from "./bench-server.js";
import { startConnectBenchServer } from "./connect-bench-server.js";
import { startGrpcJsBenchServer } from "./grpc-js-bench-server.js";
import { type CpuReport, isCpuQuery } from "./server-messages.js";

const HOST = "127.0.0.1";
const library = process.argv[2];

let server: BenchServer;
try {
  if (!isGrpcLibrary(library))
    throw new Error(`expected grpc-js or connect, got ${String(library)}`);
  server =
    library === "grpc-js"
      ? await startGrpcJsBenchServer(HOST)
      : await startConnectBenchServer(HOST);
} catch (error: unknown) {
  const failed: ChildMessage = {
    type: "failed",
    message: error instanceof Error ? error.message : String(error),
  };
  process.send?.(failed, () => process.exit(1));
  throw error;
}

process.on("message", (message: unknown) => {
  if (!isCpuQuery(message)) return;
  const usage = process.cpuUsage();
  const report: CpuReport = { type: "cpu", micros: usage.user + usage.system };
  process.send?.(report);
});
process.on("disconnect", () => {
  void server.close().finally(() => process.exit(0));
});

const ready: ChildMessage = { type: "ready", port: server.port };
process.send?.(ready);
