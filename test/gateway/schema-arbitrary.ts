import fc from "fast-check";

/** A JSON Schema as found in the OpenAPI document (only the keywords our schemas use). */
interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

/** "valid": values the schema accepts; "near": the same with rules broken here and there. */
type Mode = "valid" | "near";

/** Arbitraries to use for properties of these names, at any depth (e.g. ids that exist). */
export type PropertyOverrides = Readonly<Record<string, fc.Arbitrary<unknown>>>;

/** Text that is sometimes plain, sometimes any code points (astral, control, lone surrogates). */
const anyText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 12 }),
);

/** A value of the wrong kind for any schema. */
const wrongKind = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  anyText,
  fc.constant([]),
  fc.constant({}),
);

/** A non-blank word, for keys and text that the domain would refuse when blank. */
const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);

/** Values the schema accepts (the domain may still refuse some, e.g. unknown dependency ids). */
export function validFor(schema: object, overrides: PropertyOverrides = {}): fc.Arbitrary<unknown> {
  return arbitraryFor(schema, "valid", 0, overrides);
}

/** Values near the schema: a wrong type, an unknown key, a missing field, a bound crossed. */
export function nearSchema(
  schema: object,
  overrides: PropertyOverrides = {},
): fc.Arbitrary<unknown> {
  return arbitraryFor(schema, "near", 0, overrides);
}

function arbitraryFor(
  schema: JsonSchema,
  mode: Mode,
  depth: number,
  overrides: PropertyOverrides,
): fc.Arbitrary<unknown> {
  const shaped = shapedFor(schema, mode, depth, overrides);
  return mode === "valid"
    ? shaped
    : fc.oneof({ arbitrary: shaped, weight: 8 }, { arbitrary: wrongKind, weight: 1 });
}

function shapedFor(
  schema: JsonSchema,
  mode: Mode,
  depth: number,
  overrides: PropertyOverrides,
): fc.Arbitrary<unknown> {
  if (depth > 8) return fc.constant(null);
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants)
    return fc.oneof(...variants.map((s) => arbitraryFor(s, mode, depth + 1, overrides)));
  if (schema.enum) {
    const allowed = fc.constantFrom(...schema.enum);
    return mode === "valid"
      ? allowed
      : fc.oneof({ arbitrary: allowed, weight: 6 }, { arbitrary: anyText, weight: 1 });
  }
  if (schema.const !== undefined) return fc.constant(schema.const);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string":
      return stringFor(schema, mode);
    case "integer":
    case "number": {
      const min = schema.minimum ?? -1_000;
      // Claims wait up to wait_ms: keep numbers near their minimum so the fuzz stays quick.
      const max = Math.min(schema.maximum ?? 1_000, min + 100);
      const inRange = fc.integer({ min, max });
      if (mode === "valid") return inRange;
      return fc.oneof(
        { arbitrary: inRange, weight: 6 },
        {
          arbitrary: fc.constantFrom(min - 1, (schema.maximum ?? 1_000) + 1, 0.5, -0, 1e308),
          weight: 1,
        },
      );
    }
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 4, 4));
      const items = arbitraryFor(schema.items ?? {}, mode, depth + 1, overrides);
      return mode === "valid"
        ? fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(items, { maxLength: maxLength + 1 });
    }
    case "object":
      return objectFor(schema, mode, depth, overrides);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringFor(schema: JsonSchema, mode: Mode): fc.Arbitrary<unknown> {
  const min = schema.minLength ?? 0;
  const max = Math.max(min, Math.min(schema.maxLength ?? 40, 40));
  const fitting = fc.oneof(
    word.filter((w) => w.length >= min && w.length <= max),
    fc.string({ minLength: min, maxLength: max }),
  );
  if (mode === "valid") return fitting;
  const tooLong =
    schema.maxLength !== undefined && schema.maxLength < 5_000
      ? [fc.constant("x".repeat(schema.maxLength + 1))]
      : [];
  return fc.oneof({ arbitrary: fitting, weight: 4 }, { arbitrary: anyText, weight: 1 }, ...tooLong);
}

function objectFor(
  schema: JsonSchema,
  mode: Mode,
  depth: number,
  overrides: PropertyOverrides,
): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(properties).map(([key, value]) =>
    fc.tuple(
      fc.constant(key),
      overrides[key] ?? arbitraryFor(value, mode, depth + 1, overrides),
      fc.double({ min: 0, max: 1, noNaN: true }),
    ),
  );
  const free =
    typeof schema.additionalProperties === "object"
      ? fc.dictionary(
          mode === "valid" ? word : anyText,
          arbitraryFor(schema.additionalProperties, mode, depth + 1, overrides),
          { maxKeys: 3 },
        )
      : fc.constant({});
  const stray =
    mode === "valid"
      ? fc.constant(null)
      : fc.option(fc.tuple(anyText, fc.jsonValue({ maxDepth: 1 })), { freq: 8 });
  return fc.tuple(fc.tuple(...entries), free, stray).map(([chosen, extra, unknown]) => {
    const value: Record<string, unknown> = { ...extra };
    for (const [key, v, roll] of chosen) {
      const keep = required.has(key) ? (mode === "valid" ? 1.01 : 0.95) : 0.5;
      if (roll < keep) value[key] = v;
    }
    if (unknown !== null) value[unknown[0]] = unknown[1];
    return value;
  });
}
