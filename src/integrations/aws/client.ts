import type { EC2Client } from "@aws-sdk/client-ec2";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { S3Client } from "@aws-sdk/client-s3";
import { AppError } from "../../domain/index.js";
import { loadEc2, loadLambda, loadS3 } from "./sdk.js";
import type { Settings } from "../integration.js";

/**
 * One client per AWS service, all with the same region, credentials and endpoint. Each is
 * built on first use: the SDK takes about a second to load, which the integration service
 * should not spend at start when AWS is not used.
 */
export interface AwsClients {
  ec2(): Promise<EC2Client>;
  s3(): Promise<S3Client>;
  lambda(): Promise<LambdaClient>;
}

/** Runs `make` once, on first call, and shares its promise. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
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
  const pathStyle = forcePathStyle(settings.s3ForcePathStyle, endpoint !== undefined);
  return {
    ec2: once(async () => new (await loadEc2()).EC2Client(common)),
    lambda: once(async () => new (await loadLambda()).LambdaClient(common)),
    s3: once(
      async () =>
        new (await loadS3()).S3Client({
          ...common,
          forcePathStyle: pathStyle,
          // Checksums only where S3 requires them: S3-compatible servers often refuse the newer
          // ones, and a presigned PUT URL must not carry the checksum of an empty body.
          requestChecksumCalculation: "WHEN_REQUIRED",
          responseChecksumValidation: "WHEN_REQUIRED",
        }),
    ),
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
