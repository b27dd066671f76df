/**
 * YouTrack's `fields` request parameter, e.g. `id,idReadable,customFields(name,value(name))`:
 * an entity in an answer carries its `$type` and only the attributes asked for.
 */
export type FieldTree = Map<string, FieldTree | null>;

/** Parses a `fields` value; throws on unbalanced parentheses or stray characters. */
export function parseFields(spec: string): FieldTree {
  let at = 0;
  const list = (): FieldTree => {
    const tree: FieldTree = new Map();
    for (;;) {
      const name = /^[A-Za-z0-9_$]+/.exec(spec.slice(at))?.[0];
      if (name === undefined) throw new Error(`bad fields at ${at}: ${spec}`);
      at += name.length;
      let sub: FieldTree | null = null;
      if (spec[at] === "(") {
        at += 1;
        sub = list();
        if (spec[at] !== ")") throw new Error(`unclosed "(" in fields: ${spec}`);
        at += 1;
      }
      tree.set(name, sub);
      if (spec[at] !== ",") return tree;
      at += 1;
    }
  };
  const tree = list();
  if (at !== spec.length) throw new Error(`bad fields at ${at}: ${spec}`);
  return tree;
}

/** An entity as YouTrack stores it: attributes plus its `$type`. */
export type Entity = { $type: string } & Record<string, unknown>;

function isEntity(value: unknown): value is Entity {
  return typeof value === "object" && value !== null && "$type" in value;
}

/**
 * `value` as YouTrack answers it for `tree`: entities keep `$type` and the attributes asked
 * for (an entity asked for without sub-fields, or with no `fields` at all, shows `$type` and
 * `id` only); attributes the entity does not have are left out.
 */
export function project(value: unknown, tree: FieldTree | null): unknown {
  if (Array.isArray(value)) return value.map((item) => project(item, tree));
  if (!isEntity(value)) return value;
  const out: Record<string, unknown> = { $type: value.$type };
  if (tree === null) {
    if (value.id !== undefined) out.id = value.id;
    return out;
  }
  for (const [name, sub] of tree) {
    if (name in value) out[name] = project(value[name], sub);
  }
  return out;
}
