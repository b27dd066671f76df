import { AppError } from "../../domain/index.js";
import type { Logger } from "../../observability/index.js";
import type { OperationCall } from "../integration.js";
import { remoteError } from "./remote-errors.js";

/**
 * Runs `body` with an AbortSignal that fires at the deadline (a `timeout` error naming
 * `integration`) or when `outer` aborts (`cancelled`). The caller is released at the deadline
 * even if the client library ignores the signal. `body` gets the call (its idempotency key is
 * left for the caller to fill) and the deadline in ms since the epoch.
 */
export async function withDeadline<T>(
  integration: string,
  logger: Logger,
  timeoutMs: number,
  outer: AbortSignal | undefined,
  body: (call: OperationCall, deadline: number) => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(remoteError(integration, "timeout", `no answer within ${timeoutMs} ms`)),
    timeoutMs,
  );
  const onOuterAbort = () => controller.abort(new AppError("cancelled", "the caller went away"));
  outer?.addEventListener("abort", onOuterAbort, { once: true });
  const call: OperationCall = {
    signal: controller.signal,
    idempotencyKey: "",
    logger: logger.child({ integration }),
  };
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener("abort", () => reject(controller.signal.reason as Error), {
      once: true,
    });
  });
  aborted.catch(() => undefined);
  try {
    return await Promise.race([body(call, deadline), aborted]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onOuterAbort);
  }
}
