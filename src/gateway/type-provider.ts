import type { Static, TSchema } from "@sinclair/typebox";
import type { FastifyTypeProvider } from "fastify";

/**
 * Lets route handlers see the static types of their `@sinclair/typebox` schemas.
 *
 * Why not `@fastify/type-provider-typebox`: its current major (6) is written for the `typebox`
 * 1.x package, whose schemas are a different type; with our 0.34 schemas every request part
 * would be `unknown`. This is the same five lines it carried for 0.34.
 */
export interface TypeBoxProvider extends FastifyTypeProvider {
  validator: this["schema"] extends TSchema ? Static<this["schema"]> : unknown;
  serializer: this["schema"] extends TSchema ? Static<this["schema"]> : unknown;
}
