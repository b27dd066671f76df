import {
  type SchemaOptions,
  type Static,
  type TNull,
  type TObject,
  type TSchema,
  type TUnion,
  type TUnsafe,
  Type,
} from "@sinclair/typebox";

/**
 * A string enum as JSON Schema `enum` (one keyword, so a wrong value yields one error that
 * lists the allowed values, and OpenAPI shows a drop-down).
 */
export function stringEnum<const T extends readonly string[]>(
  values: T,
  options: SchemaOptions = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: "string", enum: [...values], ...options });
}

/** `schema` or null (a time that is unset, a task with no agent...). */
export function nullable<S extends TSchema>(
  schema: S,
  options: SchemaOptions = {},
): TUnion<[S, TNull]> {
  return Type.Union([schema, Type.Null()], options);
}

/** An instant as an ISO-8601 string. */
export const IsoTime = (description: string) => Type.String({ format: "date-time", description });

/** An instant, or null when it has not happened. */
export const NullableIsoTime = (description: string) =>
  nullable(Type.String({ format: "date-time" }), { description });

/** Any JSON object (free-form metadata and details). */
export const JsonObjectSchema = (description: string) =>
  Type.Record(Type.String(), Type.Unknown(), { description });

/**
 * A union of object schemas told apart by the literal value of `propertyName`, as OpenAPI's
 * `oneOf` + `discriminator`. The validator then checks only the variant the value names, so
 * an error speaks of that variant's fields instead of every variant's.
 */
export function discriminatedUnion<const V extends TObject[]>(
  propertyName: string,
  variants: V,
  options: SchemaOptions = {},
): TUnsafe<Static<TUnion<V>>> {
  return Type.Unsafe<Static<TUnion<V>>>({
    oneOf: variants,
    discriminator: { propertyName },
    ...options,
  });
}

/**
 * A reference to a schema registered under its `$id` (see shared-schemas.ts): one OpenAPI
 * component instead of a copy at every use, and one serializer for it.
 */
export function ref<S extends TSchema>(schema: S): TUnsafe<Static<S>> {
  if (typeof schema.$id !== "string") throw new Error("ref() needs a schema with an $id");
  return Type.Unsafe<Static<S>>(Type.Ref(schema.$id));
}
