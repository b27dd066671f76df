import { Type } from "@sinclair/typebox";
import { AppError } from "../../domain/index.js";
import type { GatewayApp, RouteContext } from "../gateway-app.js";

/** GET /metrics: the gateway's own metrics, then the coordinator's and the integration service's. */
export function registerMetricsRoutes(app: GatewayApp, { upstreams, metrics }: RouteContext): void {
  app.get(
    "/metrics",
    {
      schema: {
        tags: ["system"],
        summary:
          "Prometheus metrics of the gateway, the coordinator, the integrations and every process",
        description:
          "The gateway's are prefixed mcp_gateway_, the integration service's mcp_integration_. A scrape succeeds while the coordinator is down (mcp_gateway_coordinator_up 0); the integration service's are left out while it does not answer.",
        response: {
          200: {
            description: "Prometheus text exposition format 0.0.4.",
            content: { "text/plain": { schema: Type.String() } },
          },
        },
      },
    },
    async (request, reply) => {
      const side = { timeoutMs: upstreams.sideCallTimeoutMs };
      const [coordinator, processes, integrations] = await Promise.allSettled([
        upstreams.coordinator.getMetrics({}),
        upstreams.orchestrator.getProcesses({}, side),
        upstreams.integration.getMetrics({}, side),
      ]);
      if (coordinator.status === "rejected") {
        request.log.warn(
          { error: AppError.from(coordinator.reason).message },
          "metrics without the coordinator's: it did not answer",
        );
      }
      const text = await metrics.render(
        coordinator.status === "fulfilled" ? coordinator.value.text : null,
        processes.status === "fulfilled" ? processes.value.processes : null,
        integrations.status === "fulfilled" ? integrations.value.text : null,
      );
      return reply.type(metrics.contentType).send(text);
    },
  );
}
