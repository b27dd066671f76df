/**
 * Jenkins' `tree` query parameter (`jobs[name,color],mode`): the fields to return, nested
 * fields in brackets, ranges in braces (ignored here). `_class` is always kept, as Jenkins does.
 */
export type TreeSpec = Map<string, TreeSpec | null>;

export function parseTree(tree: string): TreeSpec {
  let at = 0;
  const list = (): TreeSpec => {
    const spec: TreeSpec = new Map();
    while (at < tree.length) {
      let name = "";
      while (at < tree.length && !",[]{}".includes(tree[at] ?? "")) name += tree[at++];
      let sub: TreeSpec | null = null;
      if (tree[at] === "[") {
        at += 1;
        sub = list();
        at += 1; // ]
      }
      if (tree[at] === "{") {
        while (at < tree.length && tree[at] !== "}") at += 1;
        at += 1;
      }
      if (name.trim() !== "") spec.set(name.trim(), sub);
      if (tree[at] === ",") {
        at += 1;
        continue;
      }
      if (tree[at] === "]") break;
    }
    return spec;
  };
  return list();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Keeps only what `spec` asks for; an object asked for without sub-fields keeps its _class. */
export function applyTree(value: unknown, spec: TreeSpec | null): unknown {
  if (Array.isArray(value)) return value.map((item) => applyTree(item, spec));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  if ("_class" in value) out._class = value._class;
  if (spec === null) return out;
  for (const [name, sub] of spec) {
    if (!(name in value)) continue;
    const field = value[name];
    out[name] =
      sub === null && !isObject(field) && !isArrayOfObjects(field) ? field : applyTree(field, sub);
  }
  return out;
}

function isArrayOfObjects(value: unknown): boolean {
  return Array.isArray(value) && value.some(isObject);
}
