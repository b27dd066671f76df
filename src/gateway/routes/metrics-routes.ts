import { Type } from "@sinclair/typebox";
import { AppError } from "../../domain/index.js";
import type { GatewayApp, RouteContext } from "../gateway-app.js";

/** GET /metrics: the gateway's own metrics, then the coordinator's. */
export function registerMetricsRoutes(app: GatewayApp, { upstreams, metrics }: RouteContext): void {
  app.get(
    "/metrics",
    {
      schema: {
        tags: ["system"],
        summary: "Prometheus metrics of the gateway and the coordinator",
        description:
          "The gateway's are prefixed mcp_gateway_. A scrape succeeds while the coordinator is down (mcp_gateway_coordinator_up 0).",
        response: {
          200: {
            description: "Prometheus text exposition format 0.0.4.",
            content: { "text/plain": { schema: Type.String() } },
          },
        },
      },
    },
    async (request, reply) => {
      let coordinatorText: string | null = null;
      try {
        coordinatorText = (await upstreams.coordinator.getMetrics({})).text;
      } catch (error) {
        request.log.warn(
          { error: AppError.from(error).message },
          "metrics without the coordinator's: it did not answer",
        );
      }
      const text = await metrics.render(coordinatorText);
      return reply.type(metrics.contentType).send(text);
    },
  );
}
