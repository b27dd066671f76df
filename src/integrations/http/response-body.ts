import { TextDecoder } from "node:util";
import type { JsonValue } from "../../domain/index.js";
import { responseTooLarge } from "./refusals.js";

/** A response body being read: undici's body stream. */
export interface BodyStream extends AsyncIterable<Uint8Array> {
  destroy(error?: Error): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
}

/** Stops a download: the stream's abort error has no one to tell, so it is swallowed. */
function discard(body: BodyStream): void {
  body.on("error", () => undefined);
  body.destroy();
}

/**
 * Reads a body up to `limit` bytes. Past it (or when Content-Length already says so) the
 * stream is destroyed, so no more is downloaded, and either out_of_range "too_large" is
 * thrown or, with `truncate` (an error answer, read only for its message), what fit is kept.
 */
export async function readBounded(
  body: BodyStream,
  limit: number,
  status: number,
  declaredLength: string | undefined,
  truncate = false,
): Promise<Buffer> {
  const declared = Number(declaredLength);
  if (!truncate && Number.isFinite(declared) && declared > limit) {
    discard(body);
    throw responseTooLarge(limit, status);
  }
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    length += chunk.length;
    if (length > limit) {
      discard(body);
      if (!truncate) throw responseTooLarge(limit, status);
      chunks.push(Buffer.from(chunk.subarray(0, chunk.length - (length - limit))));
      break;
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** A body as the result gives it: parsed JSON, text, or base64 for anything else. */
export type DescribedBody =
  | { body_type: "empty"; body: null }
  | { body_type: "json"; body: JsonValue }
  | { body_type: "text"; body: string }
  | { body_type: "binary"; body_base64: string };

const TEXT_TYPES = new Set([
  "application/javascript",
  "application/ecmascript",
  "application/xml",
  "application/x-www-form-urlencoded",
  "application/x-ndjson",
  "application/yaml",
  "application/x-yaml",
  "application/graphql",
  "application/sql",
  "application/csv",
]);

/**
 * JSON when the media type is application/json or +json (and it parses), text when the type
 * is textual (decoded with its charset, UTF-8 by default), or, without a type, when the bytes
 * are valid UTF-8 without NUL; base64 otherwise.
 */
export function describeBody(bytes: Buffer, contentType: string | undefined): DescribedBody {
  if (bytes.length === 0) return { body_type: "empty", body: null };
  const [type = "", ...params] = (contentType ?? "").split(";").map((part) => part.trim());
  const media = type.toLowerCase();
  const charset = params
    .map((param) => /^charset\s*=\s*"?([^";]+)"?$/i.exec(param)?.[1])
    .find((value) => value !== undefined);
  const isJson = media === "application/json" || media.endsWith("+json");
  if (isJson) {
    const text = decode(bytes, charset);
    if (text !== undefined) {
      try {
        return { body_type: "json", body: JSON.parse(text) as JsonValue };
      } catch {
        return { body_type: "text", body: text };
      }
    }
  }
  const textual =
    isJson || media.startsWith("text/") || media.endsWith("+xml") || TEXT_TYPES.has(media);
  if (textual || (media === "" && !bytes.includes(0))) {
    const text = decode(bytes, charset);
    if (text !== undefined) return { body_type: "text", body: text };
  }
  return { body_type: "binary", body_base64: bytes.toString("base64") };
}

/** The text of `bytes` in `charset` (UTF-8 when none or unknown); undefined if not valid. */
function decode(bytes: Buffer, charset: string | undefined): string | undefined {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset ?? "utf-8", { fatal: true });
  } catch {
    decoder = new TextDecoder("utf-8", { fatal: true });
  }
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The first characters of an error answer, for the error's message; empty when binary. */
export function errorSnippet(bytes: Buffer, contentType: string | undefined): string {
  const described = describeBody(bytes, contentType);
  if (described.body_type === "text") return described.body;
  if (described.body_type === "json") return JSON.stringify(described.body);
  return "";
}
