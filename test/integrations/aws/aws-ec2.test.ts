import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectCode } from "../../helpers/expect-code.js";
import { AwsHarness, SECRETS } from "./aws-harness.js";
import type { FakeInstance } from "./fake-ec2.js";

const h = new AwsHarness();
let web: FakeInstance;
let db: FakeInstance;
let old: FakeInstance;

beforeAll(async () => {
  await h.start();
  web = h.fake.ec2.addInstance({
    name: "web-1",
    tags: { env: "prod" },
    publicIp: "203.0.113.10",
    type: "t3.small",
  });
  db = h.fake.ec2.addInstance({ name: "db-1", tags: { env: "prod" }, state: "stopped" });
  old = h.fake.ec2.addInstance({ name: "old", tags: { env: "test" }, state: "terminated" });
  for (let i = 0; i < 6; i++)
    h.fake.ec2.addInstance({ name: `batch-${i}`, tags: { env: "batch" } });
});
afterAll(() => h.close());
afterEach(() => {
  for (const secret of SECRETS) expect(h.logs).not.toContain(secret);
});

describe("ec2.list_instances", () => {
  it("works verbatim as documented: service ec2, operation list_instances, no parameters", async () => {
    const outcome = await h
      .aws()
      .invoke({ service: "ec2", operation: "list_instances", parameters: {} });
    const result = outcome.result as { instances: unknown[]; next_token: unknown };
    expect(result.instances).toHaveLength(9);
    expect(result.next_token).toBeNull();
    expect(result.instances[0]).toEqual({
      id: web.id,
      type: "t3.small",
      state: "running",
      name: "web-1",
      private_ip: web.privateIp,
      public_ip: "203.0.113.10",
      launch_time: "2024-05-01T10:00:00.000Z",
      availability_zone: "us-east-1a",
    });
    const sent = h.fake.last("ec2:DescribeInstances");
    expect(sent.method).toBe("POST");
    expect(sent.form.get("Version")).toBe("2016-11-15");
    expect(sent.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIACANARY7C1D2E9F0A\/\d{8}\/us-east-1\/ec2\/aws4_request/,
    );
  });

  it("filters by state and tags, sent as EC2 filters", async () => {
    const outcome = await h.aws().invoke({
      operation: "ec2.list_instances",
      parameters: { state: ["running", "stopped"], tag: { env: "prod" } },
    });
    const ids = (outcome.result as { instances: { id: string }[] }).instances.map((i) => i.id);
    expect(ids).toEqual([web.id, db.id]);
    const form = h.fake.last("ec2:DescribeInstances").form;
    expect(Object.fromEntries(form)).toMatchObject({
      "Filter.1.Name": "instance-state-name",
      "Filter.1.Value.1": "running",
      "Filter.1.Value.2": "stopped",
      "Filter.2.Name": "tag:env",
      "Filter.2.Value.1": "prod",
    });
    const single = await h.aws().invoke({
      operation: "ec2.list_instances",
      parameters: { state: "terminated" },
    });
    expect(single.result).toMatchObject({ instances: [{ id: old.id, state: "terminated" }] });
  });

  it("pages with max_results and next_token", async () => {
    const aws = h.aws();
    const first = (
      await aws.invoke({ operation: "ec2.list_instances", parameters: { max_results: 5 } })
    ).result as { instances: { id: string }[]; next_token: string };
    expect(first.instances).toHaveLength(5);
    expect(first.next_token).toEqual(expect.any(String));
    expect(h.fake.last("ec2:DescribeInstances").form.get("MaxResults")).toBe("5");
    const second = (
      await aws.invoke({
        operation: "ec2.list_instances",
        parameters: { max_results: 5, next_token: first.next_token },
      })
    ).result as { instances: { id: string }[]; next_token: string | null };
    expect(second.instances).toHaveLength(4);
    expect(second.next_token).toBeNull();
    expect(h.fake.last("ec2:DescribeInstances").form.get("NextToken")).toBe(first.next_token);
  });

  it("lists named instances, and refuses max_results with instance_ids", async () => {
    const outcome = await h.aws().invoke({
      operation: "ec2.list_instances",
      parameters: { instance_ids: [db.id] },
    });
    expect(outcome.result).toMatchObject({ instances: [{ id: db.id, name: "db-1" }] });
    expect(h.fake.last("ec2:DescribeInstances").form.get("InstanceId.1")).toBe(db.id);
    const error = await expectCode(
      h.aws().invoke({
        operation: "ec2.list_instances",
        parameters: { instance_ids: [db.id], max_results: 5 },
      }),
      "invalid_argument",
    );
    expect(error.details.field).toBe("parameters.max_results");
  });

  it("validates parameters, naming the parameter", async () => {
    const badState = await expectCode(
      h.aws().invoke({ operation: "ec2.list_instances", parameters: { state: "asleep" } }),
      "invalid_argument",
    );
    expect(badState.details.field).toBe("parameters.state");
    const badId = await expectCode(
      h.aws().invoke({ operation: "ec2.describe_instance", parameters: { instance_id: "web" } }),
      "invalid_argument",
    );
    expect(badId.details.field).toBe("parameters.instance_id");
    const missing = await expectCode(
      h.aws().invoke({ operation: "ec2.start_instances", parameters: {} }),
      "invalid_argument",
    );
    expect(missing.message).toBe("parameters.instance_ids is required");
    const small = await expectCode(
      h.aws().invoke({ operation: "ec2.list_instances", parameters: { max_results: 2 } }),
      "invalid_argument",
    );
    expect(small.details.field).toBe("parameters.max_results");
  });
});

describe("ec2.describe_instance", () => {
  it("describes one instance in detail", async () => {
    const outcome = await h
      .aws()
      .invoke({ operation: "ec2.describe_instance", parameters: { instance_id: web.id } });
    expect(outcome.result).toMatchObject({
      id: web.id,
      state: "running",
      name: "web-1",
      image_id: "ami-0abcdef1234567890",
      vpc_id: "vpc-0a1b2c3d",
      subnet_id: "subnet-0a1b2c3d",
      architecture: "x86_64",
      platform: "Linux/UNIX",
      security_groups: [{ id: "sg-0123456789abcdef0", name: "default" }],
      tags: { Name: "web-1", env: "prod" },
    });
    expect(h.fake.last("ec2:DescribeInstances").form.get("InstanceId.1")).toBe(web.id);
  });

  it("says not_found with EC2's code for an unknown instance", async () => {
    const error = await expectCode(
      h.aws().invoke({
        operation: "ec2.describe_instance",
        parameters: { instance_id: "i-0123456789abcdef0" },
      }),
      "not_found",
    );
    expect(error.message).toBe(
      "aws: ec2 InvalidInstanceID.NotFound (HTTP 400): The instance ID 'i-0123456789abcdef0' does not exist",
    );
    expect(error.details).toMatchObject({
      integration: "aws",
      reason: "not_found",
      remote_status: 400,
    });
  });
});

describe("ec2.start_instances and ec2.stop_instances", () => {
  it("starts a stopped instance, returning its previous and current state", async () => {
    const outcome = await h
      .aws()
      .invoke({ operation: "ec2.start_instances", parameters: { instance_ids: [db.id] } });
    expect(outcome.result).toEqual({
      instances: [{ id: db.id, previous_state: "stopped", current_state: "pending" }],
    });
    expect(h.fake.last("ec2:StartInstances").form.get("InstanceId.1")).toBe(db.id);
    expect(h.fake.ec2.instances.get(db.id)?.state).toBe("running");
  });

  it("stops with force when asked, and without by default", async () => {
    const outcome = await h.aws().invoke({
      operation: "ec2.stop_instances",
      parameters: { instance_ids: [db.id], force: true },
    });
    expect(outcome.result).toEqual({
      instances: [{ id: db.id, previous_state: "running", current_state: "stopping" }],
    });
    expect(h.fake.last("ec2:StopInstances").form.get("Force")).toBe("true");
    await h
      .aws()
      .invoke({ operation: "ec2.stop_instances", parameters: { instance_ids: [db.id] } });
    expect(h.fake.last("ec2:StopInstances").form.get("Force")).toBe("false");
    expect(h.fake.ec2.instances.get(db.id)?.state).toBe("stopped");
  });

  it("acts once per idempotency key", async () => {
    const aws = h.aws();
    const before = h.fake.calls("ec2:StartInstances").length;
    const call = () =>
      aws.invoke({
        operation: "ec2.start_instances",
        parameters: { instance_ids: [db.id] },
        idempotencyKey: "start-db-1",
      });
    const first = await call();
    const again = await call();
    expect(again).toMatchObject({ replayed: true, result: first.result });
    expect(h.fake.calls("ec2:StartInstances").length - before).toBe(1);
  });

  it("says conflict when the instance cannot change state", async () => {
    const error = await expectCode(
      h.aws().invoke({ operation: "ec2.start_instances", parameters: { instance_ids: [old.id] } }),
      "failed_precondition",
    );
    expect(error.details.reason).toBe("conflict");
    expect(error.message).toContain("IncorrectInstanceState");
  });

  it("says permission_denied when the credentials may not stop instances", async () => {
    h.fake.failNext("ec2:StopInstances", 1, { kind: "denied" });
    const error = await expectCode(
      h.aws().invoke({ operation: "ec2.stop_instances", parameters: { instance_ids: [web.id] } }),
      "permission_denied",
    );
    expect(error.message).toBe(
      "aws: ec2 UnauthorizedOperation (HTTP 403): You are not authorized to perform this operation.",
    );
    expect(h.fake.ec2.instances.get(web.id)?.state).toBe("running");
  });

  it("retries EC2's RequestLimitExceeded (a 503) as a rate limit", async () => {
    h.fake.failNext("ec2:DescribeInstances", 1, { kind: "throttle" });
    const outcome = await h.aws().invoke({ operation: "ec2.list_instances", parameters: {} });
    expect(outcome.tries).toBe(2);
    h.fake.failNext("ec2:StartInstances", 5, { kind: "throttle" });
    const error = await expectCode(
      h.aws({ retries: 1 }).invoke({
        operation: "ec2.start_instances",
        parameters: { instance_ids: [web.id] },
      }),
      "resource_exhausted",
    );
    expect(error.details).toMatchObject({ reason: "rate_limited", remote_status: 503 });
    expect(error.message).toContain("RequestLimitExceeded");
  });
});
