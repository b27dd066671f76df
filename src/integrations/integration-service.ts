import { AppError, isJsonObject } from "../domain/index.js";
import type {
  IntegrationInfo as WireIntegrationInfo,
  IntegrationServiceServer,
} from "../gen/mcp/v1/integration.js";
import { unary } from "../rpc/index.js";
import type { IntegrationInfo, IntegrationRegistry } from "./framework/integration-registry.js";
import { IntegrationMetrics } from "./integration-metrics.js";

/** How long a listing waits for status checks before reporting what it has. */
const LIST_WAIT_MS = 1_500;

function infoToWire(info: IntegrationInfo): WireIntegrationInfo {
  return {
    name: info.name,
    description: info.description,
    state: info.state,
    message: info.message,
    missing: info.missing,
    checkedAtMs: info.checkedAt ?? 0,
    latencyMs: info.latencyMs ?? -1,
    operations: info.operations.map((op) => op.name),
    operationDetails: info.operations.map((op) => ({
      name: op.name,
      description: op.description,
      parametersSchemaJson: JSON.stringify(op.parameters),
      sideEffect: op.sideEffect,
    })),
  };
}

function parseParameters(text: string): unknown {
  if (text === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw AppError.invalidArgument("parameters", "parameters must be valid JSON");
  }
  if (!isJsonObject(value))
    throw AppError.invalidArgument("parameters", "parameters must be a JSON object");
  return value;
}

/** The gRPC IntegrationService over a registry, counting calls in `metrics`. */
export function createIntegrationService(
  registry: IntegrationRegistry,
  metrics: IntegrationMetrics = new IntegrationMetrics(),
): IntegrationServiceServer {
  return {
    listIntegrations: unary(async () => ({
      integrations: (await registry.list(LIST_WAIT_MS)).map(infoToWire),
    })),
    getIntegrationStatus: unary(async (request) =>
      infoToWire(
        await registry.describe(request.name, {
          refresh: request.refresh,
          waitMs: request.refresh ? undefined : LIST_WAIT_MS,
        }),
      ),
    ),
    invoke: unary(async (request, call) => {
      const runtime = registry.get(request.integration);
      const abort = new AbortController();
      call.on("cancelled", () => abort.abort());
      const name =
        request.service === "" ? request.operation : `${request.service}.${request.operation}`;
      // Only known operations become label values: callers cannot grow the series at will.
      const operation = runtime.knowsOperation(name) ? name : "(unknown)";
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      let outcome: Awaited<ReturnType<typeof runtime.invoke>>;
      try {
        outcome = await runtime.invoke({
          service: request.service === "" ? undefined : request.service,
          operation: request.operation,
          parameters: parseParameters(request.parametersJson),
          idempotencyKey: request.idempotencyKey === "" ? undefined : request.idempotencyKey,
          timeoutMs: request.timeoutMs === 0 ? undefined : request.timeoutMs,
          signal: abort.signal,
        });
      } catch (error) {
        metrics.recordCall(runtime.name, operation, seconds(), AppError.from(error));
        throw error;
      }
      metrics.recordCall(runtime.name, operation, seconds());
      return {
        resultJson: JSON.stringify(outcome.result),
        tries: outcome.tries,
        durationMs: outcome.durationMs,
        replayed: outcome.replayed,
      };
    }),
    getMetrics: unary(async () => ({
      text: await metrics.render(
        registry.names.map((name) => ({ name, state: registry.get(name).lastState })),
      ),
    })),
  };
}
