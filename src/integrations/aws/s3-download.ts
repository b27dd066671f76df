import { Type } from "@sinclair/typebox";
import { AppError } from "../../domain/index.js";
import { defineOperation } from "../integration.js";
import type { AwsClients } from "./client.js";
import { loadS3 } from "./sdk.js";
import { awsCall } from "./errors.js";
import { discard, encodeContent, readAtMost } from "./s3-content.js";
import { BUCKET, KEY } from "./s3-parameters.js";

/** Default and largest object size a download hands back inline. */
export const DEFAULT_MAX_BYTES = 1_048_576;
export const LARGEST_MAX_BYTES = 10_485_760;

const downloadParameters = Type.Object(
  {
    bucket: BUCKET,
    key: KEY,
    max_bytes: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: LARGEST_MAX_BYTES,
        default: DEFAULT_MAX_BYTES,
        description: `Larger objects are refused (default ${DEFAULT_MAX_BYTES}, at most ${LARGEST_MAX_BYTES}); fetch those through s3.presigned_url.`,
      }),
    ),
  },
  { additionalProperties: false },
);

function tooLarge(bucket: string, key: string, size: number | undefined, max: number): AppError {
  const what = size === undefined ? "more than" : `${size} bytes, more than`;
  return AppError.invalidArgument(
    "parameters.max_bytes",
    `s3 object ${bucket}/${key} is ${what} max_bytes (${max}): raise max_bytes (at most ${LARGEST_MAX_BYTES}) or download it through s3.presigned_url`,
    { max_bytes: max, ...(size === undefined ? {} : { size }) },
  );
}

/** s3.download: an object's content, as text when it is text, else as base64. */
export const downloadObject = defineOperation<AwsClients, typeof downloadParameters>({
  description:
    "Downloads an S3 object of at most max_bytes: its content as text when its type is textual and it is UTF-8, else as base64.",
  parameters: downloadParameters,
  sideEffect: false,
  async run(client, { bucket, key, max_bytes }, { signal }) {
    const { GetObjectCommand } = await loadS3();
    const max = max_bytes ?? DEFAULT_MAX_BYTES;
    const answer = await awsCall(
      "s3",
      (await client.s3()).send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
        abortSignal: signal,
      }),
    );
    if (answer.ContentLength !== undefined && answer.ContentLength > max) {
      discard(answer.Body);
      throw tooLarge(bucket, key, answer.ContentLength, max);
    }
    const bytes = await readAtMost(answer.Body, max, signal);
    if (bytes === null) throw tooLarge(bucket, key, undefined, max);
    return {
      bucket,
      key,
      size: bytes.length,
      content_type: answer.ContentType ?? null,
      etag: answer.ETag ?? null,
      last_modified: answer.LastModified?.toISOString() ?? null,
      ...encodeContent(bytes, answer.ContentType),
    };
  },
});
