import { EC2Client } from "@aws-sdk/client-ec2";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";
import { AppError } from "../../domain/index.js";
import type { Settings } from "../integration.js";

/** One client per AWS service, all with the same region, credentials and endpoint. */
export interface AwsClients {
  readonly ec2: EC2Client;
  readonly s3: S3Client;
  readonly lambda: LambdaClient;
}

/**
 * Builds the clients from complete settings. The credentials are given outright so the SDK
 * never runs its provider chain (which may ask the instance metadata service), and the SDK
 * tries each call once: the integration runtime decides about retries.
 */
export function createAwsClients(settings: Settings): AwsClients {
  const endpoint = settings.endpoint;
  const common = {
    region: settings.region ?? "",
    credentials: {
      accessKeyId: settings.accessKeyId ?? "",
      secretAccessKey: settings.secretAccessKey ?? "",
      ...(settings.sessionToken === undefined ? {} : { sessionToken: settings.sessionToken }),
    },
    maxAttempts: 1,
    // "auto" would look the region up on the instance metadata service.
    defaultsMode: "legacy" as const,
    ...(endpoint === undefined ? {} : { endpoint }),
  };
  return {
    ec2: new EC2Client(common),
    lambda: new LambdaClient(common),
    s3: new S3Client({
      ...common,
      forcePathStyle: forcePathStyle(settings.s3ForcePathStyle, endpoint !== undefined),
      // Checksums only where S3 requires them: S3-compatible servers often refuse the newer
      // ones, and a presigned PUT URL must not carry the checksum of an empty body.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    }),
  };
}

function forcePathStyle(value: string | undefined, hasEndpoint: boolean): boolean {
  if (value === undefined) return hasEndpoint;
  const normalised = value.trim().toLowerCase();
  if (normalised === "true") return true;
  if (normalised === "false") return false;
  throw AppError.invalidArgument(
    "AWS_S3_FORCE_PATH_STYLE",
    `AWS_S3_FORCE_PATH_STYLE must be "true" or "false", not ${JSON.stringify(value)}`,
  );
}
