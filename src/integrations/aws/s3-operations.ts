import { Type } from "@sinclair/typebox";
import { AppError } from "../../domain/index.js";
import { defineOperation, type Operation } from "../integration.js";
import type { AwsClients } from "./client.js";
import { loadS3 } from "./sdk.js";
import { awsCall } from "./errors.js";
import { downloadObject } from "./s3-download.js";
import { BUCKET, KEY } from "./s3-parameters.js";
import { presignedUrl } from "./s3-presign.js";

const listBucketsParameters = Type.Object(
  {
    prefix: Type.Optional(
      Type.String({ minLength: 1, description: "Only buckets whose name starts with this." }),
    ),
    max_buckets: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10000,
        description: "Buckets per page; all of them when omitted.",
      }),
    ),
    continuation_token: Type.Optional(
      Type.String({ minLength: 1, description: "continuation_token of the previous page." }),
    ),
  },
  { additionalProperties: false },
);

const listBuckets = defineOperation<AwsClients, typeof listBucketsParameters>({
  description: "Lists the account's S3 buckets with their creation dates.",
  parameters: listBucketsParameters,
  sideEffect: false,
  async run(client, { prefix, max_buckets, continuation_token }, { signal }) {
    const { ListBucketsCommand } = await loadS3();
    const answer = await awsCall(
      "s3",
      (await client.s3()).send(
        new ListBucketsCommand({
          ...(prefix === undefined ? {} : { Prefix: prefix }),
          ...(max_buckets === undefined ? {} : { MaxBuckets: max_buckets }),
          ...(continuation_token === undefined ? {} : { ContinuationToken: continuation_token }),
        }),
        { abortSignal: signal },
      ),
    );
    return {
      buckets: (answer.Buckets ?? []).map((bucket) => ({
        name: bucket.Name ?? null,
        created: bucket.CreationDate?.toISOString() ?? null,
      })),
      continuation_token: answer.ContinuationToken ?? null,
    };
  },
});

const listObjectsParameters = Type.Object(
  {
    bucket: BUCKET,
    prefix: Type.Optional(
      Type.String({ description: 'Only keys starting with this, e.g. "reports/".' }),
    ),
    delimiter: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Groups keys up to this character into common_prefixes, e.g. "/".',
      }),
    ),
    max_keys: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, description: "Keys per page (at most 1000)." }),
    ),
    continuation_token: Type.Optional(
      Type.String({ minLength: 1, description: "next_continuation_token of the previous page." }),
    ),
  },
  { additionalProperties: false },
);

const listObjects = defineOperation<AwsClients, typeof listObjectsParameters>({
  description:
    "Lists objects of an S3 bucket (key, size, last modified, ETag), optionally under a prefix, a page at a time.",
  parameters: listObjectsParameters,
  sideEffect: false,
  async run(client, { bucket, prefix, delimiter, max_keys, continuation_token }, { signal }) {
    const { ListObjectsV2Command } = await loadS3();
    const answer = await awsCall(
      "s3",
      (await client.s3()).send(
        new ListObjectsV2Command({
          Bucket: bucket,
          ...(prefix === undefined ? {} : { Prefix: prefix }),
          ...(delimiter === undefined ? {} : { Delimiter: delimiter }),
          ...(max_keys === undefined ? {} : { MaxKeys: max_keys }),
          ...(continuation_token === undefined ? {} : { ContinuationToken: continuation_token }),
        }),
        { abortSignal: signal },
      ),
    );
    return {
      objects: (answer.Contents ?? []).map((object) => ({
        key: object.Key ?? null,
        size: object.Size ?? null,
        last_modified: object.LastModified?.toISOString() ?? null,
        etag: object.ETag ?? null,
        storage_class: object.StorageClass ?? null,
      })),
      common_prefixes: (answer.CommonPrefixes ?? []).map((common) => common.Prefix ?? ""),
      is_truncated: answer.IsTruncated ?? false,
      next_continuation_token: answer.NextContinuationToken ?? null,
    };
  },
});

const uploadParameters = Type.Object(
  {
    bucket: BUCKET,
    key: KEY,
    content: Type.Optional(
      Type.String({ description: "The object's content as text (stored as UTF-8)." }),
    ),
    content_base64: Type.Optional(
      Type.String({
        pattern: "^[A-Za-z0-9+/]*={0,2}$",
        description: "The object's content as base64, for binary content; instead of content.",
      }),
    ),
    content_type: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 255,
        description:
          'Its media type. Default: "text/plain; charset=utf-8" for content, "application/octet-stream" for content_base64.',
      }),
    ),
  },
  { additionalProperties: false },
);

function bodyOf(content: string | undefined, base64: string | undefined): Buffer {
  if ((content === undefined) === (base64 === undefined)) {
    throw AppError.invalidArgument(
      content === undefined ? "parameters.content" : "parameters.content_base64",
      "give exactly one of parameters.content and parameters.content_base64",
    );
  }
  return content === undefined ? Buffer.from(base64 ?? "", "base64") : Buffer.from(content, "utf8");
}

const upload = defineOperation<AwsClients, typeof uploadParameters>({
  description:
    "Uploads an object to S3 (text or base64 content), replacing any object with that key.",
  parameters: uploadParameters,
  sideEffect: true,
  async run(client, { bucket, key, content, content_base64, content_type }, { signal }) {
    const { PutObjectCommand } = await loadS3();
    const body = bodyOf(content, content_base64);
    const type =
      content_type ??
      (content === undefined ? "application/octet-stream" : "text/plain; charset=utf-8");
    const answer = await awsCall(
      "s3",
      (await client.s3()).send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: type,
          ContentLength: body.length,
        }),
        { abortSignal: signal },
      ),
    );
    return {
      bucket,
      key,
      size: body.length,
      content_type: type,
      etag: answer.ETag ?? null,
      version_id: answer.VersionId ?? null,
    };
  },
});

const deleteParameters = Type.Object(
  {
    bucket: BUCKET,
    key: KEY,
    version_id: Type.Optional(
      Type.String({
        minLength: 1,
        description: "Deletes this version for good (versioned buckets); else the current one.",
      }),
    ),
  },
  { additionalProperties: false },
);

const deleteObject = defineOperation<AwsClients, typeof deleteParameters>({
  description:
    "Deletes an S3 object. S3 answers the same whether or not the key existed, so a repeat is harmless.",
  parameters: deleteParameters,
  sideEffect: true,
  async run(client, { bucket, key, version_id }, { signal }) {
    const { DeleteObjectCommand } = await loadS3();
    const answer = await awsCall(
      "s3",
      (await client.s3()).send(
        new DeleteObjectCommand({
          Bucket: bucket,
          Key: key,
          ...(version_id === undefined ? {} : { VersionId: version_id }),
        }),
        { abortSignal: signal },
      ),
    );
    return {
      bucket,
      key,
      deleted: true,
      version_id: answer.VersionId ?? null,
      delete_marker: answer.DeleteMarker ?? false,
    };
  },
});

/** The S3 operations, named as the plugin lists them. */
export const S3_OPERATIONS: Readonly<Record<string, Operation<AwsClients>>> = {
  "s3.list_buckets": listBuckets,
  "s3.list_objects": listObjects,
  "s3.upload": upload,
  "s3.download": downloadObject,
  "s3.delete_object": deleteObject,
  "s3.presigned_url": presignedUrl,
};
