import type {
  GetProcessesResponse,
  OrchestratorServiceServer,
} from "../gen/mcp/v1/orchestrator.js";
import { unary } from "../rpc/index.js";

/** The gRPC OrchestratorService over a function that reports every process. */
export function createOrchestratorService(
  processes: () => GetProcessesResponse,
): OrchestratorServiceServer {
  return {
    getProcesses: unary(async () => processes()),
  };
}
