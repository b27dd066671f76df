import type { ServiceDefinition, UntypedServiceImplementation } from "@grpc/grpc-js";
import {
  type AgentServiceServer,
  AgentServiceService,
  type GetAgentStatusRequest,
  type GetAgentStatusResponse,
  type ListRunningTasksRequest,
  type ListRunningTasksResponse,
} from "../gen/mcp/v1/agent.js";
import { unary } from "../rpc/index.js";

/** The AgentService every agent serves on its own port, answering from `status()`. */
export function createAgentStatusService(status: () => GetAgentStatusResponse): {
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
} {
  const implementation: AgentServiceServer = {
    getStatus: unary<GetAgentStatusRequest, GetAgentStatusResponse>(async () => status()),
    listRunningTasks: unary<ListRunningTasksRequest, ListRunningTasksResponse>(async () => ({
      tasks: status().running,
    })),
  };
  return { definition: AgentServiceService, implementation };
}
