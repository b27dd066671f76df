import { HealthCheckResponse_ServingStatus } from "../../gen/grpc/health/v1/health.js";
import { AppError } from "../../domain/index.js";
import type { GatewayApp, RouteContext } from "../gateway-app.js";
import { type HealthJson, HealthJsonSchema } from "../schemas/system-schemas.js";

/** GET /health: the gateway is useful only while the coordinator serves. */
export function registerHealthRoutes(app: GatewayApp, { upstreams }: RouteContext): void {
  app.get(
    "/health",
    {
      schema: {
        tags: ["system"],
        summary: "Whether the gateway can serve (its coordinator is SERVING)",
        response: { 200: HealthJsonSchema, 503: HealthJsonSchema },
      },
    },
    async (_request, reply) => {
      let health: HealthJson;
      try {
        const response = await upstreams.coordinatorHealth.check({ service: "" });
        health =
          response.status === HealthCheckResponse_ServingStatus.SERVING
            ? { status: "ok", coordinator: "serving" }
            : {
                status: "unavailable",
                coordinator: "not_serving",
                message: `coordinator at ${upstreams.coordinatorAddress} reports NOT_SERVING`,
              };
      } catch (error) {
        health = {
          status: "unavailable",
          coordinator: "unreachable",
          message: AppError.from(error).message,
        };
      }
      return reply.code(health.status === "ok" ? 200 : 503).send(health);
    },
  );
}
