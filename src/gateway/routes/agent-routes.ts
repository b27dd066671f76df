import { agentTypeToWire } from "../../contract/index.js";
import { AppError } from "../../domain/index.js";
import type { GatewayApp, RouteContext } from "../gateway-app.js";
import {
  AgentJsonSchema,
  AgentListJsonSchema,
  ListAgentsQuerySchema,
} from "../schemas/agent-schemas.js";
import { ERROR_RESPONSES } from "../schemas/error-schemas.js";
import { IdParamsSchema } from "../schemas/task-schemas.js";
import { ref } from "../schemas/schema-helpers.js";
import { agentToJson } from "../serializers/agent-json.js";

const TAGS = ["agents"];

/** Agents: the processes and external workers registered with the coordinator. */
export function registerAgentRoutes(app: GatewayApp, { upstreams }: RouteContext): void {
  app.get(
    "/api/v1/agents",
    {
      schema: {
        tags: TAGS,
        summary: "List agents",
        querystring: ListAgentsQuerySchema,
        response: { 200: AgentListJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const response = await upstreams.coordinator.listAgents({
        type: agentTypeToWire(request.query.type ?? null),
      });
      return { agents: response.agents.map(agentToJson) };
    },
  );

  app.get(
    "/api/v1/agents/:id",
    {
      schema: {
        tags: TAGS,
        summary: "One agent",
        params: IdParamsSchema,
        response: { 200: ref(AgentJsonSchema), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const response = await upstreams.coordinator.getAgent({ id: request.params.id });
      if (response.agent === undefined)
        throw new AppError("internal", "the coordinator answered GetAgent without an agent");
      return agentToJson(response.agent);
    },
  );
}
