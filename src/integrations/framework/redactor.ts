import type { JsonValue } from "../../domain/index.js";

const MASK = "[redacted]";
/** Shorter values would mask ordinary words; a secret that short is not one. */
const MIN_SECRET_LENGTH = 6;

/** Removes known secret values from text and JSON before anything leaves the service. */
export interface Redactor {
  text(value: string): string;
  json(value: JsonValue): JsonValue;
  /** Whether any secret is known (nothing to do otherwise). */
  readonly active: boolean;
}

/**
 * A redactor for `secrets`, in the spellings they travel in: as is, URL-encoded, and
 * base64 (as in Basic authentication).
 */
export function createRedactor(secrets: Iterable<string>): Redactor {
  const spellings = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    spellings.add(secret);
    spellings.add(encodeURIComponent(secret));
    spellings.add(Buffer.from(secret).toString("base64").replace(/=+$/, ""));
  }
  // Longest first, so a secret containing another is masked whole.
  const ordered = [...spellings].filter((s) => s.length >= MIN_SECRET_LENGTH);
  ordered.sort((a, b) => b.length - a.length);

  const text = (value: string): string => {
    let out = value;
    for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join(MASK);
    return out;
  };
  const json = (value: JsonValue): JsonValue => {
    if (typeof value === "string") return text(value);
    if (Array.isArray(value)) return value.map(json);
    if (value !== null && typeof value === "object") {
      const out: Record<string, JsonValue> = {};
      for (const [key, item] of Object.entries(value)) out[text(key)] = json(item);
      return out;
    }
    return value;
  };
  return { text, json, active: ordered.length > 0 };
}
