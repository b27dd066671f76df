import { definePlugin } from "../integration.js";
import { type AwsClients, createAwsClients } from "./client.js";
import { loadS3 } from "./sdk.js";
import { EC2_OPERATIONS } from "./ec2-operations.js";
import { awsCall, mapAwsError } from "./errors.js";
import { LAMBDA_OPERATIONS } from "./lambda-operations.js";
import { S3_OPERATIONS } from "./s3-operations.js";
import { AWS_SETTINGS } from "./settings.js";

/**
 * Amazon Web Services through the AWS SDK: EC2 instances, S3 objects and Lambda functions,
 * addressed as `<service>.<operation>` (e.g. {"service": "ec2", "operation": "list_instances"}).
 */
export const awsPlugin = definePlugin<AwsClients>({
  name: "aws",
  description: "Amazon Web Services: EC2 instances, S3 buckets and objects, Lambda functions.",
  settings: AWS_SETTINGS,
  connect: (settings) => createAwsClients(settings),
  // One bucket is enough to prove the credentials are accepted.
  check: async (client, { signal }) => {
    const { ListBucketsCommand } = await loadS3();
    const answer = await awsCall(
      "s3",
      (await client.s3()).send(new ListBucketsCommand({ MaxBuckets: 1 }), { abortSignal: signal }),
    );
    return { buckets_seen: answer.Buckets?.length ?? 0 };
  },
  operations: { ...EC2_OPERATIONS, ...S3_OPERATIONS, ...LAMBDA_OPERATIONS },
  mapError: (error) => mapAwsError(error),
});
