import {
  type CallOptions,
  type Client,
  type ClientUnaryCall,
  Metadata,
  type ServiceError,
} from "@grpc/grpc-js";
import { fromGrpcError } from "./grpc-status.js";

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

export interface CallOpts {
  /** Deadline of this call; default the client's. */
  timeoutMs?: number;
  metadata?: Metadata;
  /** Cancels the call when aborted (e.g. the HTTP client behind a long poll went away). */
  signal?: AbortSignal;
}

/** A generated grpc-js client's unary methods as promise-returning functions. */
export type PromiseClient<C> = {
  [
    K in keyof C as C[K] extends UnaryMethod<infer _Req, infer _Res> ? K : never
  ]: C[K] extends UnaryMethod<infer Req, infer Res>
    ? (request: Req, options?: CallOpts) => Promise<Res>
    : never;
};

/**
 * Wraps a generated client so unary calls return promises, carry a deadline, and reject
 * with AppError (codes and details preserved from the server).
 */
export function promiseClient<C extends Client>(
  client: C,
  defaultTimeoutMs: number,
): PromiseClient<C> {
  return new Proxy({} as PromiseClient<C>, {
    get(_target, property) {
      const method = (client as unknown as Record<PropertyKey, unknown>)[property];
      if (typeof method !== "function") return undefined;
      return (request: unknown, options: CallOpts = {}) =>
        new Promise((resolve, reject) => {
          const deadline = Date.now() + (options.timeoutMs ?? defaultTimeoutMs);
          const { signal } = options;
          const onAbort = () => call.cancel();
          const call = (method as UnaryMethod<unknown, unknown>).call(
            client,
            request,
            options.metadata ?? new Metadata(),
            { deadline },
            (error, response) => {
              signal?.removeEventListener("abort", onAbort);
              if (error) reject(fromGrpcError(error));
              else resolve(response);
            },
          );
          if (signal?.aborted) call.cancel();
          else signal?.addEventListener("abort", onAbort, { once: true });
        });
    },
  });
}
