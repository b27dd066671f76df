import { Readable } from "node:stream";
import type { GetObjectCommandOutput } from "@aws-sdk/client-s3";
import type { JsonObject } from "../../domain/index.js";

const TEXTUAL_TYPE =
  /^(text\/[^;]+|application\/(json|xml|javascript|ecmascript|x-yaml|yaml|toml|sql|graphql|x-sh|x-www-form-urlencoded)|[a-z]+\/[^;]+\+(json|xml|yaml))\s*(;|$)/i;

const CHARSET = /;\s*charset="?([^";\s]+)"?/i;

/** Whether a media type names text this integration can hand back as a string. */
export function isTextualType(contentType: string | undefined): boolean {
  if (contentType === undefined || !TEXTUAL_TYPE.test(contentType.trim())) return false;
  const charset = CHARSET.exec(contentType)?.[1]?.toLowerCase();
  return (
    charset === undefined || charset === "utf-8" || charset === "utf8" || charset === "us-ascii"
  );
}

/**
 * The content as `content` (text) when its type is textual and its bytes are valid UTF-8,
 * else as `content_base64`.
 */
export function encodeContent(bytes: Buffer, contentType: string | undefined): JsonObject {
  if (isTextualType(contentType)) {
    try {
      const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
      return { encoding: "text", content: text };
    } catch {
      // Not UTF-8 after all: handed back as base64 below.
    }
  }
  return { encoding: "base64", content_base64: bytes.toString("base64") };
}

/**
 * The body's bytes, or null as soon as it proves longer than `limit` (the rest is not read:
 * the stream is destroyed, closing the connection).
 */
export async function readAtMost(
  body: GetObjectCommandOutput["Body"],
  limit: number,
  signal: AbortSignal,
): Promise<Buffer | null> {
  if (body === undefined) return Buffer.alloc(0);
  if (!(body instanceof Readable)) {
    const bytes = Buffer.from(await body.transformToByteArray());
    return bytes.length > limit ? null : bytes;
  }
  const stop = () => body.destroy();
  signal.addEventListener("abort", stop, { once: true });
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) return null;
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size);
  } finally {
    signal.removeEventListener("abort", stop);
    body.destroy();
  }
}

/** Drops a body unread, closing its connection. */
export function discard(body: GetObjectCommandOutput["Body"]): void {
  if (body instanceof Readable) body.destroy();
}
