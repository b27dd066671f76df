import { AppError } from "../domain/index.js";
import type { PromiseClient } from "../rpc/index.js";

/** Errors that mean the service could not be reached in time, not that it refused the call. */
const REACHABILITY_CODES = new Set(["unavailable", "deadline_exceeded"]);

/**
 * Wraps a promise client so that when the service cannot be reached the error names which
 * service and where, the first thing an operator needs from a 503 or 504.
 */
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
          const appError = AppError.from(error);
          if (!REACHABILITY_CODES.has(appError.code)) throw appError;
          throw new AppError(
            appError.code,
            `${service} at ${address}: ${appError.message}`,
            { ...appError.details, service, address },
            { cause: error },
          );
        }
      };
    },
  });
}
