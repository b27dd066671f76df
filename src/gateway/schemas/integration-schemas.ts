import { type Static, Type } from "@sinclair/typebox";
import { nullable } from "./schema-helpers.js";

const NAME_PATTERN = "^[a-z][a-z0-9_-]*$";

export const IntegrationNameParamsSchema = Type.Object(
  { name: Type.String({ pattern: NAME_PATTERN, maxLength: 64, description: 'e.g. "slack".' }) },
  { additionalProperties: false },
);

const statusProperties = {
  name: Type.String(),
  state: Type.String({ description: "not_configured, healthy, degraded or down." }),
  message: Type.String({ description: "Why it is in that state; empty when healthy." }),
  missing: Type.Array(Type.String(), {
    description: "Environment variables to set before it can work.",
  }),
  checked_at: nullable(Type.String({ format: "date-time" }), {
    description: "When the last status check ran; null before the first.",
  }),
  latency_ms: nullable(Type.Integer(), { description: "How long the last status check took." }),
};

export const IntegrationStatusJsonSchema = Type.Object(statusProperties, {
  additionalProperties: false,
});
export type IntegrationStatusJson = Static<typeof IntegrationStatusJsonSchema>;

export const IntegrationJsonSchema = Type.Object(
  {
    ...statusProperties,
    description: Type.String(),
    operations: Type.Array(Type.String(), { description: "Operation names, `test` first." }),
  },
  { additionalProperties: false },
);
export type IntegrationJson = Static<typeof IntegrationJsonSchema>;

export const IntegrationListJsonSchema = Type.Object(
  { integrations: Type.Array(IntegrationJsonSchema) },
  { additionalProperties: false },
);

export const IntegrationDetailJsonSchema = Type.Object(
  {
    ...statusProperties,
    description: Type.String(),
    operations: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          description: Type.String(),
          side_effect: Type.Boolean({
            description: "Changes something remotely; an Idempotency-Key makes it happen once.",
          }),
          parameters: Type.Record(Type.String(), Type.Unknown(), {
            description: "JSON Schema of the parameters.",
          }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type IntegrationDetailJson = Static<typeof IntegrationDetailJsonSchema>;

export const StatusQuerySchema = Type.Object(
  {
    refresh: Type.Optional(
      Type.Boolean({ description: "Check now instead of reusing a check younger than 30 s." }),
    ),
  },
  { additionalProperties: false },
);

export const InvokeBodySchema = Type.Object(
  {
    operation: Type.String({
      minLength: 1,
      maxLength: 128,
      description: 'e.g. "send_message"; GET /api/v1/integrations/{name} lists them.',
    }),
    service: Type.Optional(
      Type.String({
        pattern: NAME_PATTERN,
        maxLength: 64,
        description: 'Sub-service of AWS: "ec2", "s3" or "lambda".',
      }),
    ),
    parameters: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: "The operation's parameters." }),
    ),
    timeout_ms: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 86_400_000, description: "Default 30 s." }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        operation: "send_message",
        parameters: { channel: "#development", message: "Deployment completed successfully!" },
      },
      { service: "ec2", operation: "list_instances", parameters: {} },
    ],
  },
);

export const InvokeJsonSchema = Type.Object(
  {
    integration: Type.String(),
    operation: Type.String(),
    result: Type.Unknown({ description: "The operation's result." }),
    tries: Type.Integer({ description: "Tries it took (rate limits and outages are retried)." }),
    duration_ms: Type.Integer(),
    replayed: Type.Boolean({
      description: "The recorded result of an earlier call with the same Idempotency-Key.",
    }),
  },
  { additionalProperties: false },
);
