import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectCode } from "../../helpers/expect-code.js";
import { AwsHarness, SECRETS } from "./aws-harness.js";
import type { FakeFunction } from "./fake-lambda.js";

const h = new AwsHarness();
let echo: FakeFunction;

beforeAll(async () => {
  await h.start();
  echo = h.fake.lambda.addFunction("echo", (event) => ({
    result: { received: event },
    log: "START RequestId: 1\nechoed\nEND RequestId: 1",
  }));
  h.fake.lambda.addFunction("crash", () => ({
    error: "Unhandled",
    result: { errorType: "TypeError", errorMessage: "x is undefined" },
  }));
  h.fake.lambda.addFunction("plain", () => ({ result: "not json" }), { runtime: "python3.12" });
  for (let i = 0; i < 3; i++) h.fake.lambda.addFunction(`job-${i}`, () => ({ result: i }));
});
afterAll(() => h.close());
afterEach(() => {
  for (const secret of SECRETS) expect(h.logs).not.toContain(secret);
});

describe("lambda.list_functions", () => {
  it("lists functions, a page at a time", async () => {
    const aws = h.aws();
    const first = (
      await aws.invoke({
        service: "lambda",
        operation: "list_functions",
        parameters: { max_items: 4 },
      })
    ).result as { functions: { name: string }[]; next_marker: string };
    expect(first.functions.map((fn) => fn.name)).toEqual(["crash", "echo", "job-0", "job-1"]);
    expect(first.functions[1]).toEqual({
      name: "echo",
      arn: "arn:aws:lambda:us-east-1:123456789012:function:echo",
      runtime: "nodejs20.x",
      handler: "index.handler",
      description: "",
      memory_mb: 128,
      timeout_s: 3,
      last_modified: "2024-05-01T10:00:00.000+0000",
      package_type: "Zip",
      architectures: ["x86_64"],
    });
    const sent = h.fake.last("lambda:ListFunctions");
    expect(sent.method).toBe("GET");
    expect(sent.rawPath).toMatch(/^\/2015-03-31\/functions\/?$/);
    expect(sent.query.get("MaxItems")).toBe("4");
    const rest = (
      await aws.invoke({
        operation: "lambda.list_functions",
        parameters: { max_items: 4, marker: first.next_marker },
      })
    ).result as { functions: { name: string }[]; next_marker: string | null };
    expect(rest.functions.map((fn) => fn.name)).toEqual(["job-2", "plain"]);
    expect(rest.next_marker).toBeNull();
    expect(h.fake.last("lambda:ListFunctions").query.get("Marker")).toBe(first.next_marker);
  });
});

describe("lambda.invoke", () => {
  it("invokes with a JSON payload and returns the parsed answer, status and version", async () => {
    const outcome = await h.aws().invoke({
      operation: "lambda.invoke",
      parameters: { function_name: "echo", payload: { order: 42, items: ["a"] } },
    });
    expect(outcome.result).toEqual({
      status_code: 200,
      function_error: null,
      executed_version: "$LATEST",
      payload: { received: { order: 42, items: ["a"] } },
    });
    const sent = h.fake.last("lambda:Invoke");
    expect(sent.method).toBe("POST");
    expect(sent.rawPath).toBe("/2015-03-31/functions/echo/invocations");
    expect(sent.headers["x-amz-invocation-type"]).toBe("RequestResponse");
    expect(JSON.parse(sent.body.toString("utf8"))).toEqual({ order: 42, items: ["a"] });
    expect(echo.events.at(-1)).toEqual({ order: 42, items: ["a"] });
  });

  it("reports the function's own failure in the result, not as an error", async () => {
    const outcome = await h
      .aws()
      .invoke({ operation: "lambda.invoke", parameters: { function_name: "crash", payload: {} } });
    expect(outcome.result).toEqual({
      status_code: 200,
      function_error: "Unhandled",
      executed_version: "$LATEST",
      payload: { errorType: "TypeError", errorMessage: "x is undefined" },
    });
  });

  it("returns an answer that is not JSON as text", async () => {
    const outcome = await h
      .aws()
      .invoke({ operation: "lambda.invoke", parameters: { function_name: "plain" } });
    expect(outcome.result).toMatchObject({ status_code: 200, payload: "not json" });
    expect(h.fake.last("lambda:Invoke").body.length).toBe(0);
  });

  it("queues an Event call (202) and checks a DryRun (204)", async () => {
    const aws = h.aws();
    const before = echo.events.length;
    const queued = await aws.invoke({
      operation: "lambda.invoke",
      parameters: { function_name: "echo", payload: { n: 1 }, invocation_type: "Event" },
    });
    expect(queued.result).toMatchObject({ status_code: 202, function_error: null, payload: null });
    expect(h.fake.last("lambda:Invoke").headers["x-amz-invocation-type"]).toBe("Event");
    const dry = await aws.invoke({
      operation: "lambda.invoke",
      parameters: { function_name: "echo", invocation_type: "DryRun" },
    });
    expect(dry.result).toMatchObject({ status_code: 204, payload: null });
    expect(echo.events.length - before).toBe(1);
  });

  it("calls a version or alias by qualifier and ARN, and returns the log tail when asked", async () => {
    const outcome = await h.aws().invoke({
      operation: "lambda.invoke",
      parameters: {
        function_name: "arn:aws:lambda:us-east-1:123456789012:function:echo",
        qualifier: "prod",
        payload: "hello",
        log_tail: true,
      },
    });
    expect(outcome.result).toMatchObject({
      executed_version: "prod",
      payload: { received: "hello" },
      log_tail: "START RequestId: 1\nechoed\nEND RequestId: 1",
    });
    const sent = h.fake.last("lambda:Invoke");
    expect(sent.query.get("Qualifier")).toBe("prod");
    expect(sent.headers["x-amz-log-type"]).toBe("Tail");
    expect(sent.rawPath).toBe(
      "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aecho/invocations",
    );
  });

  it("says not_found for an unknown function", async () => {
    const error = await expectCode(
      h.aws().invoke({ operation: "lambda.invoke", parameters: { function_name: "ghost" } }),
      "not_found",
    );
    expect(error.message).toBe(
      "aws: lambda ResourceNotFoundException (HTTP 404): Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost",
    );
  });

  it("says permission_denied on AccessDeniedException", async () => {
    h.fake.failNext("lambda:Invoke", 1, { kind: "denied" });
    const error = await expectCode(
      h.aws().invoke({ operation: "lambda.invoke", parameters: { function_name: "echo" } }),
      "permission_denied",
    );
    expect(error.message).toContain("AccessDeniedException (HTTP 403)");
  });

  it("retries TooManyRequestsException (429) after its Retry-After", async () => {
    h.fake.failNext("lambda:Invoke", 1, { kind: "throttle", retryAfterSeconds: 1 });
    const before = echo.events.length;
    const started = Date.now();
    const outcome = await h.aws({ retryMaxDelayMs: 2_000 }).invoke({
      operation: "lambda.invoke",
      parameters: { function_name: "echo", payload: { once: true } },
    });
    expect(outcome).toMatchObject({ tries: 2, result: { status_code: 200 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(echo.events.length - before).toBe(1);
  });

  it("does not retry an outage of a call with side effects, but does for a listing", async () => {
    h.fake.failNext("lambda:Invoke", 1, { kind: "unavailable" });
    const before = h.fake.calls("lambda:Invoke").length;
    const error = await expectCode(
      h.aws().invoke({ operation: "lambda.invoke", parameters: { function_name: "echo" } }),
      "unavailable",
    );
    expect(error.message).toBe(
      "aws: lambda ServiceException (HTTP 500): An internal error occurred.",
    );
    expect(h.fake.calls("lambda:Invoke").length - before).toBe(1);
    h.fake.failNext("lambda:ListFunctions", 1, { kind: "unavailable" });
    const listed = await h.aws().invoke({ operation: "lambda.list_functions", parameters: {} });
    expect(listed.tries).toBe(2);
  });

  it("validates the function name and invocation type", async () => {
    const name = await expectCode(
      h.aws().invoke({ operation: "lambda.invoke", parameters: { function_name: "a b" } }),
      "invalid_argument",
    );
    expect(name.details.field).toBe("parameters.function_name");
    const type = await expectCode(
      h.aws().invoke({
        operation: "lambda.invoke",
        parameters: { function_name: "echo", invocation_type: "Later" },
      }),
      "invalid_argument",
    );
    expect(type.details.field).toBe("parameters.invocation_type");
  });
});
