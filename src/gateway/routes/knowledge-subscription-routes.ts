import { Type } from "@sinclair/typebox";
import { KNOWLEDGE_LIMITS } from "../../domain/index.js";
import type { GatewayApp, RouteContext } from "../gateway-app.js";
import { AgentIdParamsSchema } from "../schemas/agent-schemas.js";
import { ERROR_RESPONSES } from "../schemas/error-schemas.js";

const TAGS = ["knowledge"];

const SubscriptionBodySchema = Type.Object(
  {
    tags: Type.Array(Type.String({ minLength: 1, maxLength: KNOWLEDGE_LIMITS.tagLength }), {
      maxItems: KNOWLEDGE_LIMITS.tags,
      description: "The tags to be notified about; [] unsubscribes.",
    }),
  },
  { additionalProperties: false },
);

const SubscriptionJsonSchema = Type.Object(
  { agent_id: Type.String(), tags: Type.Array(Type.String()) },
  { additionalProperties: false },
);

/** Knowledge tag subscriptions: new and updated entries with a tag notify its subscribers. */
export function registerKnowledgeSubscriptionRoutes(
  app: GatewayApp,
  { upstreams }: RouteContext,
): void {
  app.put(
    "/api/v1/agents/:agent_id/knowledge-subscription",
    {
      schema: {
        tags: TAGS,
        summary: "Set the knowledge tags an agent is notified about",
        description:
          "Every new or updated entry carrying one of the tags sends the agent a notification message (in its mailbox). Replaces the previous tags.",
        params: AgentIdParamsSchema,
        body: SubscriptionBodySchema,
        response: { 200: SubscriptionJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const response = await upstreams.knowledge.setSubscription({
        agentId: request.params.agent_id,
        tags: request.body.tags,
      });
      return { agent_id: response.agentId, tags: response.tags };
    },
  );

  app.get(
    "/api/v1/agents/:agent_id/knowledge-subscription",
    {
      schema: {
        tags: TAGS,
        summary: "The knowledge tags an agent is notified about",
        params: AgentIdParamsSchema,
        response: { 200: SubscriptionJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const response = await upstreams.knowledge.getSubscription({
        agentId: request.params.agent_id,
      });
      return { agent_id: response.agentId, tags: response.tags };
    },
  );
}
