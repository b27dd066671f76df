import type { IntegrationInfo } from "../../gen/mcp/v1/integration.js";
import type {
  IntegrationDetailJson,
  IntegrationJson,
  IntegrationStatusJson,
} from "../schemas/integration-schemas.js";
import { isoTime } from "./time-json.js";

/** Integrations between the integration service's messages and the REST API's JSON. */

export function integrationStatusToJson(info: IntegrationInfo): IntegrationStatusJson {
  return {
    name: info.name,
    state: info.state,
    message: info.message,
    missing: info.missing,
    checked_at: info.checkedAtMs === 0 ? null : isoTime(info.checkedAtMs),
    latency_ms: info.latencyMs < 0 ? null : info.latencyMs,
  };
}

export function integrationToJson(info: IntegrationInfo): IntegrationJson {
  return {
    ...integrationStatusToJson(info),
    description: info.description,
    operations: info.operations,
  };
}

export function integrationDetailToJson(info: IntegrationInfo): IntegrationDetailJson {
  return {
    ...integrationStatusToJson(info),
    description: info.description,
    operations: info.operationDetails.map((op) => ({
      name: op.name,
      description: op.description,
      side_effect: op.sideEffect,
      parameters: JSON.parse(op.parametersSchemaJson) as Record<string, unknown>,
    })),
  };
}
