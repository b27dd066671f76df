import { AppError } from "../domain/index.js";
import type { PromiseClient } from "../rpc/index.js";

/** Errors that mean the service could not be reached in time, not that it refused the call. */
const REACHABILITY_CODES = new Set(["unavailable", "deadline_exceeded"]);

/**
 * `error` from a call to `service` at `address`: when the service could not be reached, the
 * message names which service and where, the first thing an operator needs from a 503 or 504.
 */
export function upstreamError(error: unknown, service: string, address: string): AppError {
  const appError = AppError.from(error);
  if (!REACHABILITY_CODES.has(appError.code)) return appError;
  // The service answered and said why (e.g. an outside system it calls is down): that is
  // the message, not the hop.
  if (typeof appError.details.reason === "string") return appError;
  return new AppError(
    appError.code,
    `${service} at ${address}: ${appError.message}`,
    { ...appError.details, service, address },
    { cause: error },
  );
}

/** Wraps a promise client so that its errors go through {@link upstreamError}. */
export function namedUpstream<C>(
  client: PromiseClient<C>,
  service: string,
  address: string,
): PromiseClient<C> {
  return new Proxy(client, {
    get(target, property, receiver) {
      const method: unknown = Reflect.get(target, property, receiver);
      if (typeof method !== "function") return method;
      return async (...args: unknown[]) => {
        try {
          return await (method as (...a: unknown[]) => Promise<unknown>)(...args);
        } catch (error) {
          throw upstreamError(error, service, address);
        }
      };
    },
  });
}
