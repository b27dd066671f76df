import type { FastifyRequest } from "fastify";

/**
 * preValidation hook of routes whose body is optional: no body counts as `{}`, so the schema
 * fills defaults and the handler sees one shape.
 */
export async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}
