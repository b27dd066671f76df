import type { ErrorObject } from "ajv";
import { AppError, isJsonObject } from "../domain/index.js";

/** How each request part is named in messages: `body.priority`, `query.limit`, `params.id`. */
function partName(part: string): string {
  return part === "querystring" ? "query" : part;
}

/** A JSON pointer (`/tasks/0/title`) as a field path (`tasks[0].title`). */
function pointerToPath(pointer: string): string {
  let path = "";
  for (const raw of pointer.split("/").slice(1)) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    path += /^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`;
  }
  return path;
}

const TYPE_PHRASES: Readonly<Record<string, string>> = {
  string: "a string",
  integer: "an integer",
  number: "a number",
  boolean: "true or false",
  object: "a JSON object",
  array: "an array",
  null: "null",
};

function typePhrase(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_PHRASES[String(t)] ?? String(t)).join(" or ");
}

/** The tag values of a discriminated union's variants, e.g. ["command", "noop"]. */
function discriminatorTags(schema: unknown, tag: string): string[] {
  if (!isJsonObject(schema) || !Array.isArray(schema.oneOf)) return [];
  return schema.oneOf.flatMap((variant) => {
    const properties = isJsonObject(variant) ? variant.properties : undefined;
    const property = isJsonObject(properties) ? properties[tag] : undefined;
    return isJsonObject(property) && typeof property.const === "string" ? [property.const] : [];
  });
}

function describe(error: ErrorObject, field: string): { field: string; message: string } {
  const params = error.params as Record<string, unknown>;
  const limit = String(params.limit);
  switch (error.keyword) {
    case "required": {
      const missing = `${field}.${String(params.missingProperty)}`;
      return { field: missing, message: `${missing} is required` };
    }
    case "additionalProperties": {
      const unknown = `${field}.${String(params.additionalProperty)}`;
      const patterns = isJsonObject(error.parentSchema)
        ? error.parentSchema.patternProperties
        : undefined;
      if (isJsonObject(patterns)) {
        const allowed = Object.keys(patterns).filter((p) => p !== "^(.*)$");
        if (allowed.length > 0)
          return {
            field: unknown,
            message: `${field} key ${JSON.stringify(params.additionalProperty)} must match ${allowed.join(" or ")}`,
          };
      }
      return { field: unknown, message: `${unknown} is not a known field` };
    }
    case "type":
      // Fastify passes a missing body as null.
      if (error.instancePath === "" && error.data === null) {
        return { field, message: `${field} is required: send a JSON object` };
      }
      return { field, message: `${field} must be ${typePhrase(params.type)}` };
    case "enum":
      return {
        field,
        message: `${field} must be one of ${(params.allowedValues as unknown[]).map(String).join(", ")}`,
      };
    case "const":
      return { field, message: `${field} must be ${JSON.stringify(params.allowedValue)}` };
    case "discriminator": {
      const tag = `${field}.${String(params.tag)}`;
      const tags = discriminatorTags(error.parentSchema, String(params.tag));
      return { field: tag, message: `${tag} must be one of ${tags.join(", ")}` };
    }
    case "minLength":
      return {
        field,
        message:
          limit === "1"
            ? `${field} must not be empty`
            : `${field} must be at least ${limit} characters`,
      };
    case "maxLength":
      return { field, message: `${field} must be at most ${limit} characters` };
    case "minimum":
      return { field, message: `${field} must be at least ${limit}` };
    case "maximum":
      return { field, message: `${field} must be at most ${limit}` };
    case "minItems":
      return { field, message: `${field} must have at least ${limit} entries` };
    case "maxItems":
      return { field, message: `${field} must have at most ${limit} entries` };
    case "minProperties":
      return { field, message: `${field} must have at least ${limit} entries` };
    case "maxProperties":
      return { field, message: `${field} must have at most ${limit} entries` };
    case "uniqueItems":
      return {
        field,
        message: `${field} must not repeat an entry (entries ${String(params.j)} and ${String(params.i)} are equal)`,
      };
    case "pattern": {
      const description = isJsonObject(error.parentSchema)
        ? error.parentSchema.description
        : undefined;
      return {
        field,
        message:
          typeof description === "string"
            ? `${field} must be ${description}`
            : `${field} must match ${String(params.pattern)}`,
      };
    }
    default:
      return { field, message: `${field} ${error.message ?? "is not valid"}` };
  }
}

/**
 * A failed schema validation as an `invalid_argument` AppError whose message and
 * `details.field` name the field as the client sent it (e.g. `body.tasks[2].priority`).
 */
export function validationError(errors: readonly ErrorObject[], part: string): AppError {
  const first = errors[0];
  const base = partName(part);
  if (first === undefined) return AppError.invalidArgument(base, `${base} is not valid`);
  const { field, message } = describe(first, `${base}${pointerToPath(first.instancePath)}`);
  return AppError.invalidArgument(field, message, { reason: first.keyword });
}
