import { type SchemaOptions, type TLiteral, type TUnion, Type } from "@sinclair/typebox";

/** A TypeBox union of string literals whose static type is the union of `values`. */
export function literalUnion<const T extends readonly string[]>(
  values: T,
  options: SchemaOptions = {},
): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  );
}
