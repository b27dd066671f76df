import type { ServiceDefinition, UntypedServiceImplementation } from "@grpc/grpc-js";
import { messageToWire } from "../contract/index.js";
import { AppError, type MessageRecord } from "../domain/index.js";
import {
  type AgentServiceServer,
  AgentServiceService,
  type GetAgentStatusRequest,
  type GetAgentStatusResponse,
  type ListReceivedMessagesRequest,
  type ListReceivedMessagesResponse,
  type ListRunningTasksRequest,
  type ListRunningTasksResponse,
} from "../gen/mcp/v1/agent.js";
import { unary } from "../rpc/index.js";

const DEFAULT_RECEIVED = 50;
const MAX_RECEIVED = 200;

/** What the AgentService answers from. */
export interface AgentStatusSource {
  status(): GetAgentStatusResponse;
  /** The most recent messages handled, oldest first. */
  received(limit: number): readonly MessageRecord[];
}

/** The AgentService every agent serves on its own port. */
export function createAgentStatusService(source: AgentStatusSource): {
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
} {
  const implementation: AgentServiceServer = {
    getStatus: unary<GetAgentStatusRequest, GetAgentStatusResponse>(async () => source.status()),
    listRunningTasks: unary<ListRunningTasksRequest, ListRunningTasksResponse>(async () => ({
      tasks: source.status().running,
    })),
    listReceivedMessages: unary<ListReceivedMessagesRequest, ListReceivedMessagesResponse>(
      async (request) => {
        const limit = request.limit === 0 ? DEFAULT_RECEIVED : request.limit;
        if (limit > MAX_RECEIVED)
          throw AppError.invalidArgument("limit", `limit must be from 1 to ${MAX_RECEIVED}`);
        return { messages: source.received(limit).map(messageToWire) };
      },
    ),
  };
  return { definition: AgentServiceService, implementation };
}
