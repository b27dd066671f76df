import type { JsonObject } from "../../domain/index.js";

/** Most headers a result carries; the rest are dropped (and `headers_truncated` says so). */
export const MAX_RESPONSE_HEADERS = 100;
/** Longest header value a result carries; longer ones are cut. */
export const MAX_HEADER_VALUE = 4096;

/** Response headers as undici gives them: lower-cased names, repeated ones as arrays. */
export type RawHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * The response headers for the result, bounded: lower-cased names, a repeated header
 * (set-cookie) as an array, at most {@link MAX_RESPONSE_HEADERS} of them, each value cut at
 * {@link MAX_HEADER_VALUE} characters.
 */
export function boundedHeaders(raw: RawHeaders): { headers: JsonObject; truncated: boolean } {
  const headers: JsonObject = {};
  let truncated = false;
  let count = 0;
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (count === MAX_RESPONSE_HEADERS) {
      truncated = true;
      break;
    }
    count += 1;
    const cut = (text: string) => {
      if (text.length <= MAX_HEADER_VALUE) return text;
      truncated = true;
      return text.slice(0, MAX_HEADER_VALUE);
    };
    headers[name.toLowerCase()] = Array.isArray(value) ? value.map(cut) : cut(value);
  }
  return { headers, truncated };
}

/** One header's value as a single string (the first of repeated ones). */
export function headerValue(raw: RawHeaders, name: string): string | undefined {
  const value = raw[name];
  return Array.isArray(value) ? value[0] : value;
}
