import type { sendUnaryData, ServerUnaryCall } from "@grpc/grpc-js";
import { toGrpcStatus } from "./grpc-status.js";

/** Adapts an async function into a grpc-js unary handler; thrown errors become statuses. */
export function unary<Req, Res>(
  handler: (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>,
): (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => void {
  return (call, callback) => {
    handler(call.request, call).then(
      (response) => callback(null, response),
      (error: unknown) => callback(toGrpcStatus(error)),
    );
  };
}
