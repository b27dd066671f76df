import type { SettingSpec } from "../integration.js";

/** The AWS integration's settings, by key, each read from its environment variable. */
export const AWS_SETTINGS = {
  region: {
    env: "AWS_REGION",
    description: 'Region of every call, e.g. "eu-west-1".',
    required: true,
  },
  accessKeyId: {
    env: "AWS_ACCESS_KEY_ID",
    description: "Access key id of the IAM user or role session.",
    required: true,
    secret: true,
  },
  secretAccessKey: {
    env: "AWS_SECRET_ACCESS_KEY",
    description: "Secret access key matching the access key id.",
    required: true,
    secret: true,
  },
  sessionToken: {
    env: "AWS_SESSION_TOKEN",
    description: "Session token, for temporary credentials only.",
    secret: true,
  },
  endpoint: {
    env: "AWS_ENDPOINT_URL",
    description:
      "One endpoint for EC2, S3 and Lambda instead of AWS's own (LocalStack, MinIO), e.g. http://localhost:4566.",
  },
  s3ForcePathStyle: {
    env: "AWS_S3_FORCE_PATH_STYLE",
    description:
      'S3 addressing: "true" puts the bucket in the path, "false" in the host name. Default: true when an endpoint is set, else false.',
  },
} as const satisfies Record<string, SettingSpec>;
