import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../../src/domain/index.js";
import { expectCode } from "../../helpers/expect-code.js";
import { AwsHarness, SECRETS } from "./aws-harness.js";
import { FakeAwsServer } from "./fake-aws-server.js";

const h = new AwsHarness();

beforeAll(async () => {
  await h.start();
  h.fake.s3.addBucket("reports");
  h.fake.s3.putObject("reports", "a.txt", "a", "text/plain");
  h.fake.lambda.addFunction("echo", (event) => ({ result: event }));
  h.fake.ec2.addInstance({ name: "web" });
});
afterAll(() => h.close());
afterEach(() => {
  h.fake.echoCredentialsInErrors = false;
  for (const secret of SECRETS) expect(h.logs).not.toContain(secret);
});

describe("the aws integration", () => {
  it("lists its operations as <service>.<operation>, and names the valid services", async () => {
    const aws = h.aws();
    expect(aws.operations().map((op) => op.name)).toEqual([
      "test",
      "ec2.list_instances",
      "ec2.describe_instance",
      "ec2.start_instances",
      "ec2.stop_instances",
      "s3.list_buckets",
      "s3.list_objects",
      "s3.upload",
      "s3.download",
      "s3.delete_object",
      "s3.presigned_url",
      "lambda.list_functions",
      "lambda.invoke",
    ]);
    const error = await expectCode(
      aws.invoke({ service: "sqs", operation: "send_message", parameters: {} }),
      "invalid_argument",
    );
    expect(error.message).toBe('aws has no service "sqs"; valid services are ec2, s3, lambda');
  });

  it("is not configured without its required variables, naming them", async () => {
    const aws = h.registry({ AWS_ENDPOINT_URL: h.fake.url }).get("aws");
    const status = await aws.status();
    expect(status).toMatchObject({
      state: "not_configured",
      missing: ["AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
    });
    expect(status.message).toContain("AWS_SECRET_ACCESS_KEY");
    const error = await expectCode(
      aws.invoke({ service: "ec2", operation: "list_instances", parameters: {} }),
      "unavailable",
    );
    expect(error.details).toMatchObject({ reason: "not_configured" });
    expect(error.message).toContain("AWS_REGION");
    const partly = h.registry(h.env({ AWS_SECRET_ACCESS_KEY: undefined })).get("aws");
    expect((await partly.status()).missing).toEqual(["AWS_SECRET_ACCESS_KEY"]);
  });

  it("refuses an AWS_S3_FORCE_PATH_STYLE that is neither true nor false, naming it", () => {
    let thrown: unknown;
    try {
      h.registry(h.env({ AWS_S3_FORCE_PATH_STYLE: "yes" }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).message).toBe(
      'AWS_S3_FORCE_PATH_STYLE must be "true" or "false", not "yes"',
    );
  });

  it("addresses buckets by host name when AWS_S3_FORCE_PATH_STYLE is false", async () => {
    // The SDK keeps the bucket in the path for an IP address, so this endpoint has a name.
    const endpoint = `http://localhost:${new URL(h.fake.url).port}`;
    const env = h.env({ AWS_S3_FORCE_PATH_STYLE: "false", AWS_ENDPOINT_URL: endpoint });
    const aws = h.registry(env).get("aws");
    const outcome = await aws.invoke({
      operation: "s3.presigned_url",
      parameters: { bucket: "reports", key: "a.txt" },
    });
    const url = new URL((outcome.result as { url: string }).url);
    expect(url.host).toBe(`reports.localhost:${new URL(h.fake.url).port}`);
    expect(url.pathname).toBe("/a.txt");
  });
});

describe("credentials", () => {
  const wrongKey = () =>
    h.registry(h.env({ AWS_ACCESS_KEY_ID: "AKIAWRONGWRONGWRONG0" })).get("aws");
  const wrongSecret = () =>
    h
      .registry(h.env({ AWS_SECRET_ACCESS_KEY: "wrong-secret-access-key-0000000000000000" }))
      .get("aws");

  it("says bad_credentials when a service does not know the access key", async () => {
    const aws = wrongKey();
    const s3 = await expectCode(
      aws.invoke({ operation: "s3.list_buckets", parameters: {} }),
      "unauthenticated",
    );
    expect(s3.details).toMatchObject({
      integration: "aws",
      reason: "bad_credentials",
      remote_status: 403,
    });
    expect(s3.message).toBe(
      "aws: s3 InvalidAccessKeyId (HTTP 403): The AWS Access Key Id you provided does not exist in our records.",
    );
    const ec2 = await expectCode(
      aws.invoke({ operation: "ec2.list_instances", parameters: {} }),
      "unauthenticated",
    );
    expect(ec2.message).toBe(
      "aws: ec2 AuthFailure (HTTP 401): AWS was not able to validate the provided access credentials",
    );
    const lambda = await expectCode(
      aws.invoke({ operation: "lambda.list_functions", parameters: {} }),
      "unauthenticated",
    );
    expect(lambda.message).toBe(
      "aws: lambda UnrecognizedClientException (HTTP 403): The security token included in the request is invalid.",
    );
    expect(h.fake.last("lambda:ListFunctions").accessKeyId).toBe("AKIAWRONGWRONGWRONG0");
  });

  it("says bad_credentials when the secret key does not match (the signature is checked)", async () => {
    const aws = wrongSecret();
    const s3 = await expectCode(
      aws.invoke({ operation: "s3.download", parameters: { bucket: "reports", key: "a.txt" } }),
      "unauthenticated",
    );
    expect(s3.message).toContain("SignatureDoesNotMatch");
    const lambda = await expectCode(
      aws.invoke({ operation: "lambda.invoke", parameters: { function_name: "echo" } }),
      "unauthenticated",
    );
    expect(lambda.message).toContain("InvalidSignatureException");
    expect(h.fake.lambda.functions.get("echo")?.events).toEqual([]);
  });

  it("says bad_credentials when the session token is missing", async () => {
    const aws = h.registry(h.env({ AWS_SESSION_TOKEN: undefined })).get("aws");
    const error = await expectCode(
      aws.invoke({ operation: "s3.list_buckets", parameters: {} }),
      "unauthenticated",
    );
    expect(error.message).toBe(
      "aws: s3 InvalidToken (HTTP 400): The provided token is malformed or otherwise invalid.",
    );
  });
});

describe("status and the test operation", () => {
  it("is healthy after a cheap authenticated ListBuckets", async () => {
    const aws = h.aws();
    const before = h.fake.calls("s3:ListBuckets").length;
    const status = await aws.status();
    expect(status).toMatchObject({ state: "healthy", message: "", missing: [] });
    const check = h.fake.last("s3:ListBuckets");
    expect(h.fake.calls("s3:ListBuckets").length - before).toBe(1);
    expect(check.query.get("max-buckets")).toBe("1");
    const tested = await aws.invoke({ operation: "test", parameters: {} });
    expect(tested.result).toMatchObject({ state: "healthy" });
  });

  it("is down with bad credentials, saying so, and the test operation fails the same way", async () => {
    const aws = h.registry(h.env({ AWS_ACCESS_KEY_ID: "AKIAWRONGWRONGWRONG0" })).get("aws");
    const status = await aws.status();
    expect(status.state).toBe("down");
    expect(status.message).toContain("InvalidAccessKeyId");
    await expectCode(aws.invoke({ operation: "test", parameters: {} }), "unauthenticated");
  });

  it("is degraded when the check is slow, down when AWS cannot be reached", async () => {
    h.fake.failNext("s3:ListBuckets", 1, { kind: "delay", ms: 200 });
    expect((await h.aws({ degradedLatencyMs: 100 }).status()).state).toBe("degraded");
    const closed = await new FakeAwsServer({ accessKeyId: "x", secretAccessKey: "y" }).start();
    await closed.close();
    const aws = h.registry(h.env({ AWS_ENDPOINT_URL: closed.url })).get("aws");
    const status = await aws.status();
    expect(status.state).toBe("down");
    expect(status.message).toContain("ECONNREFUSED");
    const error = await expectCode(
      aws.invoke({
        operation: "s3.upload",
        parameters: { bucket: "reports", key: "k", content: "x" },
      }),
      "unavailable",
    );
    expect(error.details.reason).toBe("unavailable");
  });
});

describe("deadlines", () => {
  it("fails with a timeout when AWS does not answer in time", async () => {
    h.fake.failNext("s3:ListObjectsV2", 1, { kind: "delay", ms: 2_000 });
    const started = Date.now();
    const error = await expectCode(
      h.aws().invoke({
        operation: "s3.list_objects",
        parameters: { bucket: "reports" },
        timeoutMs: 300,
      }),
      "deadline_exceeded",
    );
    expect(error.details.reason).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe("secrets", () => {
  it("never shows a credential in results, errors or logs, even when AWS echoes it back", async () => {
    h.fake.echoCredentialsInErrors = true;
    const aws = h.aws({ retries: 1 });
    const seen: string[] = [];
    let failures = 0;
    const call = async (operation: string, parameters: Record<string, unknown>) => {
      try {
        seen.push(JSON.stringify((await aws.invoke({ operation, parameters })).result));
      } catch (error) {
        failures += 1;
        expect(error).toBeInstanceOf(AppError);
        seen.push((error as AppError).message, JSON.stringify((error as AppError).details));
      }
    };
    await call("ec2.list_instances", {});
    await call("s3.upload", { bucket: "reports", key: "canary.txt", content: "c" });
    await call("s3.download", { bucket: "reports", key: "canary.txt" });
    await call("lambda.invoke", { function_name: "echo", payload: { hello: 1 } });
    expect(failures).toBe(0);
    await call("s3.download", { bucket: "reports", key: "missing.txt" });
    await call("lambda.invoke", { function_name: "ghost" });
    await call("ec2.describe_instance", { instance_id: "i-0123456789abcdef0" });
    h.fake.failNext("ec2:DescribeInstances", 1, { kind: "unknown_key" });
    await call("ec2.list_instances", {});
    h.fake.failNext("s3:PutObject", 1, { kind: "denied" });
    await call("s3.upload", { bucket: "reports", key: "locked.txt", content: "x" });
    h.fake.failNext("lambda:ListFunctions", 2, { kind: "throttle", retryAfterSeconds: 0 });
    await call("lambda.list_functions", {});
    expect(failures).toBe(6);
    h.fake.failNext("s3:ListBuckets", 1, { kind: "bad_signature" });
    const status = await aws.status({ refresh: true });
    expect(status.state).toBe("down");
    seen.push(status.message);
    // The fake did echo the credentials: they reached the service, which masked them.
    expect(seen.join("\n")).toContain("request credential [redacted], security token [redacted]");
    for (const secret of SECRETS) {
      for (const text of seen) expect(text).not.toContain(secret);
      expect(h.logs).not.toContain(secret);
    }
  });

  it("leaves the key id and session token in a presigned URL only, never the secret key", async () => {
    const outcome = await h.aws().invoke({
      operation: "s3.presigned_url",
      parameters: { bucket: "reports", key: "a.txt" },
    });
    const url = (outcome.result as { url: string }).url;
    const params = new URL(url).searchParams;
    expect(params.get("X-Amz-Credential")?.split("/")[0]).toBe(h.fake.credentials.accessKeyId);
    expect(params.get("X-Amz-Security-Token")).toBe(h.fake.credentials.sessionToken);
    expect(url).not.toContain(h.fake.credentials.secretAccessKey);
  });
});
