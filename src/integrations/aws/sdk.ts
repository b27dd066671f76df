/**
 * The AWS SDK's modules, loaded when first needed (Node keeps them once loaded). Operations
 * take their command classes from here rather than importing them, so that loading the aws
 * plugin does not load the SDK.
 */
export const loadEc2 = () => import("@aws-sdk/client-ec2");
export const loadS3 = () => import("@aws-sdk/client-s3");
export const loadLambda = () => import("@aws-sdk/client-lambda");
export const loadPresigner = () => import("@aws-sdk/s3-request-presigner");
