import { AppError, type JsonValue } from "../../domain/index.js";
import { IntegrationServiceClient } from "../../gen/mcp/v1/integration.js";
import { CLIENT_OPTIONS, insecure, promiseClient } from "../../rpc/index.js";
import type { Executor } from "./executor.js";
import { taskFailure } from "./task-failure.js";

/** Beyond the operation's own deadline, for the hop to the integration service. */
const HOP_MARGIN_MS = 5_000;
/** Deadline of an action that sets none (the service's default is shorter). */
const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/**
 * The `integration` action: calls the operation on the integration service. The idempotency
 * key is the task's id, the same for every attempt, so an operation with a side effect that
 * already happened (the agent died before reporting it) is answered from the service's record
 * instead of acting twice. Failures keep the service's error code; rate limits, timeouts and
 * outages are retryable, bad parameters, bad credentials and a missing configuration are not.
 */
export function createIntegrationExecutor(options: { address: string }): Executor & {
  close(): void;
} {
  let client: IntegrationServiceClient | undefined;
  const rpc = () => {
    client ??= new IntegrationServiceClient(options.address, insecure(), CLIENT_OPTIONS);
    return promiseClient(client, DEFAULT_CALL_TIMEOUT_MS + HOP_MARGIN_MS);
  };
  return {
    kind: "integration",
    async execute(run) {
      const action = run.task.action;
      if (action?.kind !== "integration")
        return taskFailure("invalid_argument", "the task has no integration action", false);
      const label = [action.integration, action.service, action.operation]
        .filter((part) => part !== null)
        .join(".");
      run.reportProgress(0, `calling ${label}`);
      try {
        const response = await rpc().invoke(
          {
            integration: action.integration,
            service: action.service ?? "",
            operation: action.operation,
            parametersJson: JSON.stringify(action.parameters),
            idempotencyKey: `task:${run.task.id}`,
            timeoutMs: action.timeoutMs ?? 0,
          },
          {
            timeoutMs: (action.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS) + HOP_MARGIN_MS,
            signal: run.signal,
          },
        );
        const result = JSON.parse(response.resultJson) as JsonValue;
        run.logger.info(
          { integration: label, tries: response.tries, replayed: response.replayed },
          "integration call done",
        );
        return {
          output: {
            integration: action.integration,
            operation: action.operation,
            result,
            tries: response.tries,
            replayed: response.replayed,
          },
          error: null,
        };
      } catch (thrown) {
        const error = AppError.from(thrown);
        if (run.signal.aborted)
          return taskFailure("cancelled", `${label} was abandoned: the run was aborted`, false);
        // Configuration is read when the integration service starts: another attempt now
        // would meet the same missing setting.
        const retryable = error.retryable && error.details.reason !== "not_configured";
        return taskFailure(error.code, `${label}: ${error.message}`, retryable, {
          integration: action.integration,
          operation: action.operation,
          details: error.details,
        });
      }
    },
    close() {
      client?.close();
    },
  };
}
