import type { GatewayApp, RouteContext } from "../gateway-app.js";
import { ERROR_RESPONSES } from "../schemas/error-schemas.js";
import { type SystemStatusJson, SystemStatusJsonSchema } from "../schemas/system-schemas.js";
import { integrationToJson } from "../serializers/integration-json.js";
import { coordinatorStatusToJson, processToJson } from "../serializers/system-json.js";
import { isoTime } from "../serializers/time-json.js";

/** System status: gateway, coordinator, processes and integrations. */
export function registerSystemRoutes(app: GatewayApp, context: RouteContext): void {
  const { upstreams } = context;

  app.get(
    "/api/v1/system/status",
    {
      schema: {
        tags: ["system"],
        summary: "How the system is doing",
        description:
          "The coordinator's status is required (503 without it); processes and integrations are " +
          "absent when the orchestrator or the integration service cannot be reached.",
        response: { 200: SystemStatusJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const side = { timeoutMs: upstreams.sideCallTimeoutMs };
      // Asked at once: the optional parts must not add their timeouts to the required one.
      const [coordinator, processes, integrations] = await Promise.allSettled([
        upstreams.coordinator.getSystemStatus({}),
        upstreams.orchestrator.getProcesses({}, side),
        upstreams.integration.listIntegrations({}, side),
      ]);
      if (coordinator.status === "rejected") throw coordinator.reason;
      const status: SystemStatusJson = {
        version: context.version,
        started_at: isoTime(context.startedAt),
        uptime_seconds: (Date.now() - context.startedAt) / 1000,
        coordinator: coordinatorStatusToJson(coordinator.value, upstreams.coordinatorAddress),
      };
      if (processes.status === "fulfilled")
        status.processes = processes.value.processes.map(processToJson);
      else
        request.log.debug(
          { err: processes.reason },
          "no process list: the orchestrator did not answer",
        );
      if (integrations.status === "fulfilled")
        status.integrations = integrations.value.integrations.map(integrationToJson);
      else
        request.log.debug(
          { err: integrations.reason },
          "no integration list: the integration service did not answer",
        );
      return status;
    },
  );
}
