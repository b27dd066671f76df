import { Type } from "@sinclair/typebox";
import { AppError } from "../../domain/index.js";
import { defineOperation } from "../integration.js";
import type { AwsClients } from "./client.js";
import { loadPresigner, loadS3 } from "./sdk.js";
import { mapAwsError } from "./errors.js";
import { BUCKET, KEY } from "./s3-parameters.js";

/** SigV4 presigned URLs live at most 7 days. */
const LONGEST_EXPIRY_S = 604_800;

const presignParameters = Type.Object(
  {
    bucket: BUCKET,
    key: KEY,
    method: Type.Optional(
      Type.Union([Type.Literal("get"), Type.Literal("put")], {
        default: "get",
        description: '"get" to download the object, "put" to upload it.',
      }),
    ),
    expires_in: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: LONGEST_EXPIRY_S,
        default: 3600,
        description: "Seconds the URL stays valid (1 to 604800; default 3600).",
      }),
    ),
    content_type: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 255,
        description: "For put: the Content-Type the uploader must send (it is signed).",
      }),
    ),
  },
  { additionalProperties: false },
);

/**
 * s3.presigned_url: a URL anyone holding it can GET or PUT the object with, until it expires.
 * It is signed here, without calling S3; it carries the access key id (and the session token
 * with temporary credentials), which the service therefore leaves in this result.
 */
export const presignedUrl = defineOperation<AwsClients, typeof presignParameters>({
  description:
    "Makes a presigned URL to download (get) or upload (put) one S3 object without credentials, valid for expires_in seconds.",
  parameters: presignParameters,
  sideEffect: false,
  revealsSettings: ["accessKeyId", "sessionToken"],
  async run(client, { bucket, key, method, expires_in, content_type }, { signal }) {
    const { PutObjectCommand, GetObjectCommand } = await loadS3();
    const { getSignedUrl } = await loadPresigner();
    const verb = method ?? "get";
    const expiresIn = expires_in ?? 3600;
    if (verb === "get" && content_type !== undefined) {
      throw AppError.invalidArgument(
        "parameters.content_type",
        'parameters.content_type only applies to method "put"',
      );
    }
    const command =
      verb === "put"
        ? new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            ...(content_type === undefined ? {} : { ContentType: content_type }),
          })
        : new GetObjectCommand({ Bucket: bucket, Key: key });
    signal.throwIfAborted();
    const signedAt = Date.now();
    try {
      const url = await getSignedUrl(await client.s3(), command, { expiresIn });
      return {
        url,
        method: verb.toUpperCase(),
        expires_at: new Date(signedAt + expiresIn * 1000).toISOString(),
        ...(verb === "put" && content_type !== undefined ? { content_type } : {}),
      };
    } catch (thrown) {
      throw mapAwsError(thrown, "s3") ?? thrown;
    }
  },
});
