import { Ajv, type Options } from "ajv";
import type { FastifySchema, FastifySchemaCompiler } from "fastify";

const SHARED_OPTIONS: Options = {
  // Unknown fields are refused (every object schema says additionalProperties: false), never
  // silently dropped.
  removeAdditional: false,
  useDefaults: true,
  // The first error only: with allErrors a crafted body can make validation slow.
  allErrors: false,
  addUsedSchema: false,
  // oneOf + discriminator for the task action: errors then speak of the variant named by `kind`.
  discriminator: true,
  // Errors carry their schema, so a message can list an enum's values or a variant's tags.
  verbose: true,
  // Nullable unions (anyOf of a type and null) are intended.
  strictTypes: false,
  logger: false,
};

/**
 * Validators for request parts. A JSON body is taken as typed (`"3"` is not an integer);
 * query strings, path parameters and headers are text, so their values are coerced to the
 * declared type (and a repeated query parameter to an array only where one is declared).
 */
export function createValidatorCompiler(): FastifySchemaCompiler<FastifySchema> {
  const bodyAjv = new Ajv({ ...SHARED_OPTIONS, coerceTypes: false });
  const textAjv = new Ajv({ ...SHARED_OPTIONS, coerceTypes: "array" });
  return ({ schema, httpPart }) => (httpPart === "body" ? bodyAjv : textAjv).compile(schema);
}
