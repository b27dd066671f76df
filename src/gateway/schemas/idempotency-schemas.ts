import { Type } from "@sinclair/typebox";

/** Headers of the create routes. Other headers pass: a header schema lists what it checks. */
export const IdempotencyHeadersSchema = Type.Object({
  "idempotency-key": Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      // As the coordinator accepts them: printable ASCII, no spaces.
      pattern: "^[\\x21-\\x7E]+$",
      description: "1 to 200 printable ASCII characters without spaces",
    }),
  ),
});

/** Set on a response that replays the first response to the same Idempotency-Key. */
export const REPLAYED_HEADER = "Idempotent-Replayed";
