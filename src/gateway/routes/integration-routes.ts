import type { GatewayApp, RouteContext } from "../gateway-app.js";
import { ERROR_RESPONSES } from "../schemas/error-schemas.js";
import { IdempotencyHeadersSchema } from "../schemas/idempotency-schemas.js";
import {
  IntegrationDetailJsonSchema,
  IntegrationListJsonSchema,
  IntegrationNameParamsSchema,
  IntegrationStatusJsonSchema,
  InvokeBodySchema,
  InvokeJsonSchema,
  StatusQuerySchema,
} from "../schemas/integration-schemas.js";
import {
  integrationDetailToJson,
  integrationStatusToJson,
  integrationToJson,
} from "../serializers/integration-json.js";

const TAGS = ["integrations"];
/** Beyond the call's own deadline, for the hop to the integration service. */
const HOP_MARGIN_MS = 2_000;

/** The integrations: list, one with its operations' schemas, its status, and calling an operation. */
export function registerIntegrationRoutes(app: GatewayApp, { upstreams }: RouteContext): void {
  app.get(
    "/api/v1/integrations",
    {
      schema: {
        tags: TAGS,
        summary: "The integrations, their state and their operations",
        response: { 200: IntegrationListJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async () => {
      const response = await upstreams.integration.listIntegrations({});
      return { integrations: response.integrations.map(integrationToJson) };
    },
  );

  app.get(
    "/api/v1/integrations/:name",
    {
      schema: {
        tags: TAGS,
        summary: "One integration with each operation's parameter schema",
        params: IntegrationNameParamsSchema,
        response: { 200: IntegrationDetailJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) =>
      integrationDetailToJson(
        await upstreams.integration.getIntegrationStatus({
          name: request.params.name,
          refresh: false,
        }),
      ),
  );

  app.get(
    "/api/v1/integrations/:name/status",
    {
      schema: {
        tags: TAGS,
        summary: "An integration's state, last check time and latency",
        description:
          "not_configured (with the variables to set), healthy, degraded (slow or rate limited) or down (with why). A check younger than 30 s is reused unless refresh=true.",
        params: IntegrationNameParamsSchema,
        querystring: StatusQuerySchema,
        response: { 200: IntegrationStatusJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) =>
      integrationStatusToJson(
        await upstreams.integration.getIntegrationStatus({
          name: request.params.name,
          refresh: request.query.refresh === true,
        }),
      ),
  );

  app.post(
    "/api/v1/integrations/:name",
    {
      schema: {
        tags: TAGS,
        summary: "Call an operation of an integration",
        description:
          "Parameters are validated per operation (400 names the parameter; an unknown operation lists the valid ones). " +
          "503 when the integration is not configured, naming the variable to set. Remote failures keep their meaning: " +
          "401 bad credentials, 403 permission denied, 404 not found, 429 rate limited (after retries), 504 timeout, " +
          "with details.reason and details.integration. An operation with a side effect called again with the same " +
          "Idempotency-Key returns the first result without acting again.",
        params: IntegrationNameParamsSchema,
        headers: IdempotencyHeadersSchema,
        body: InvokeBodySchema,
        response: { 200: InvokeJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { body } = request;
      const response = await upstreams.integration.invoke(
        {
          integration: request.params.name,
          service: body.service ?? "",
          operation: body.operation,
          parametersJson: JSON.stringify(body.parameters ?? {}),
          idempotencyKey: request.headers["idempotency-key"] ?? "",
          timeoutMs: body.timeout_ms ?? 0,
        },
        { timeoutMs: (body.timeout_ms ?? upstreams.integrationCallTimeoutMs) + HOP_MARGIN_MS },
      );
      return {
        integration: request.params.name,
        operation: body.operation,
        result: JSON.parse(response.resultJson) as unknown,
        tries: response.tries,
        duration_ms: response.durationMs,
        replayed: response.replayed,
      };
    },
  );
}
