import { type FastifyReply, type FastifyRequest, LogController } from "fastify";

/**
 * Fastify's request log lines at debug instead of info: a busy gateway would otherwise drown
 * its log in two lines per request. Failures are logged by the error handler (warn/error).
 */
export class RequestLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ method: request.method, url: request.url }, "incoming request");
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const fields = {
      method: request.method,
      url: request.url,
      status_code: reply.statusCode,
      duration_ms: reply.elapsedTime,
    };
    if (error) reply.log.error({ ...fields, err: error }, "request errored");
    else reply.log.debug(fields, "request completed");
  }
}
