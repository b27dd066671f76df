import { Type } from "@sinclair/typebox";
import { ErrorCodeSchema } from "./enum-schemas.js";
import { JsonObjectSchema, ref } from "./schema-helpers.js";

/** The body of every error response. */
export const ErrorBodySchema = Type.Object(
  {
    error: Type.Object(
      {
        code: ErrorCodeSchema,
        message: Type.String({ description: "What went wrong, naming the field or option." }),
        details: JsonObjectSchema("Structured facts, e.g. `field` for a validation error."),
      },
      { additionalProperties: false },
    ),
  },
  { $id: "Error", additionalProperties: false, description: "An error." },
);

/**
 * Error responses every route declares: any 4xx or 5xx answers with the error body. Ranges keep
 * the serializer from falling back to JSON.stringify and document the shape in OpenAPI.
 */
export const ERROR_RESPONSES = {
  "4xx": ref(ErrorBodySchema),
  "5xx": ref(ErrorBodySchema),
} as const;
