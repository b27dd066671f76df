import { createHash, randomUUID } from "node:crypto";
import {
  type FailureKind,
  FakeAwsError,
  type FakeAnswer,
  type FakeRequest,
  type FakeService,
} from "./fake-aws-types.js";

const FUNCTIONS_PATH = /^\/2015-03-31\/functions\/?$/;
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const ACCOUNT = "123456789012";

/** What a fake function's code does with an event. */
export type FakeHandler = (event: unknown) => {
  /** The answer, written as JSON unless it is a string (written as is). */
  result?: unknown;
  /** Makes the invocation a function error, as Lambda reports one. */
  error?: "Handled" | "Unhandled";
  log?: string;
};

/** A function the fake knows. */
export interface FakeFunction {
  name: string;
  runtime: string;
  handler: string;
  memory: number;
  timeout: number;
  version: string;
  code: FakeHandler;
  /** Events it was invoked with, in order. */
  events: unknown[];
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeAnswer {
  return {
    status,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  };
}

/** Lambda's REST-JSON API: functions listed and invoked. */
export class FakeLambda implements FakeService {
  readonly name = "lambda" as const;
  readonly functions = new Map<string, FakeFunction>();

  constructor(private readonly region: () => string) {}

  addFunction(name: string, code: FakeHandler, fields: Partial<FakeFunction> = {}): FakeFunction {
    const fn: FakeFunction = {
      name,
      runtime: fields.runtime ?? "nodejs20.x",
      handler: fields.handler ?? "index.handler",
      memory: fields.memory ?? 128,
      timeout: fields.timeout ?? 3,
      version: fields.version ?? "$LATEST",
      code,
      events: [],
    };
    this.functions.set(name, fn);
    return fn;
  }

  private arn(name: string): string {
    return `arn:aws:lambda:${this.region()}:${ACCOUNT}:function:${name}`;
  }

  actionOf(method: string, path: string): string {
    if (method === "GET" && FUNCTIONS_PATH.test(path)) return "lambda:ListFunctions";
    if (method === "POST" && INVOKE_PATH.test(path)) return "lambda:Invoke";
    return `lambda:${method} ${path}`;
  }

  handle(request: FakeRequest): FakeAnswer {
    if (request.action === "lambda:ListFunctions") return this.list(request.query);
    if (request.action === "lambda:Invoke") return this.invoke(request);
    throw new FakeAwsError(404, "UnknownOperationException", "Unknown operation");
  }

  private list(query: URLSearchParams): FakeAnswer {
    const maxItems = Number(query.get("MaxItems") ?? 50);
    if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10_000) {
      throw new FakeAwsError(
        400,
        "InvalidParameterValueException",
        `1 validation error detected: Value '${query.get("MaxItems")}' at 'maxItems' failed to satisfy constraint`,
      );
    }
    const names = [...this.functions.keys()].sort();
    const marker = query.get("Marker");
    const from = marker === null ? 0 : Number(Buffer.from(marker, "base64").toString("utf8"));
    const page = names.slice(from, from + Math.min(maxItems, 50));
    const next = from + page.length < names.length ? from + page.length : undefined;
    return json(200, {
      Functions: page.map((name) => {
        const fn = this.functions.get(name) as FakeFunction;
        return {
          FunctionName: fn.name,
          FunctionArn: this.arn(fn.name),
          Runtime: fn.runtime,
          Role: `arn:aws:iam::${ACCOUNT}:role/lambda-role`,
          Handler: fn.handler,
          CodeSize: 1024,
          Description: "",
          Timeout: fn.timeout,
          MemorySize: fn.memory,
          LastModified: "2024-05-01T10:00:00.000+0000",
          CodeSha256: createHash("sha256").update(fn.name).digest("base64"),
          Version: "$LATEST",
          PackageType: "Zip",
          Architectures: ["x86_64"],
        };
      }),
      ...(next === undefined ? {} : { NextMarker: Buffer.from(String(next)).toString("base64") }),
    });
  }

  private resolve(encoded: string): FakeFunction {
    // A name, an ARN or a partial ARN (123456789012:function:name), maybe with :qualifier.
    const parts = decodeURIComponent(encoded).split(":");
    const at = parts.indexOf("function");
    const name = at >= 0 ? (parts[at + 1] ?? "") : (parts[0] ?? "");
    const fn = this.functions.get(name);
    if (fn === undefined) {
      throw new FakeAwsError(
        404,
        "ResourceNotFoundException",
        `Function not found: ${this.arn(name)}`,
      );
    }
    return fn;
  }

  private invoke(request: FakeRequest): FakeAnswer {
    const match = INVOKE_PATH.exec(request.rawPath);
    const fn = this.resolve(match?.[1] ?? "");
    const type = request.headers["x-amz-invocation-type"] ?? "RequestResponse";
    if (!["RequestResponse", "Event", "DryRun"].includes(String(type))) {
      throw new FakeAwsError(
        400,
        "InvalidParameterValueException",
        `Unsupported invocation type ${String(type)}`,
      );
    }
    const text = request.body.toString("utf8");
    let event: unknown = {};
    if (text !== "") {
      try {
        event = JSON.parse(text);
      } catch {
        throw new FakeAwsError(
          400,
          "InvalidRequestContentException",
          "Could not parse request body into json: Could not parse payload into json",
        );
      }
    }
    const version = request.query.get("Qualifier") ?? fn.version;
    if (type === "DryRun") return { status: 204, headers: { "x-amz-executed-version": version } };
    fn.events.push(event);
    if (type === "Event") {
      fn.code(event);
      return { status: 202, headers: { "x-amz-executed-version": version } };
    }
    const outcome = fn.code(event);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "x-amz-executed-version": version,
      "x-amzn-requestid": randomUUID(),
    };
    if (outcome.error !== undefined) headers["x-amz-function-error"] = outcome.error;
    if (request.headers["x-amz-log-type"] === "Tail") {
      headers["x-amz-log-result"] = Buffer.from(outcome.log ?? "").toString("base64");
    }
    const body =
      typeof outcome.result === "string"
        ? outcome.result
        : outcome.result === undefined
          ? "null"
          : JSON.stringify(outcome.result);
    return { status: 200, headers, body };
  }

  failure(kind: FailureKind): FakeAwsError {
    switch (kind) {
      case "throttle":
        return new FakeAwsError(429, "TooManyRequestsException", "Rate Exceeded.", {
          Reason: "ReservedFunctionConcurrentInvocationLimitExceeded",
        });
      case "unavailable":
        return new FakeAwsError(500, "ServiceException", "An internal error occurred.");
      case "denied":
        return new FakeAwsError(
          403,
          "AccessDeniedException",
          `User: arn:aws:iam::${ACCOUNT}:user/agent is not authorized to perform this action`,
        );
      case "missing_auth":
        return new FakeAwsError(
          403,
          "MissingAuthenticationTokenException",
          "Missing Authentication Token",
        );
      case "bad_signature":
        return new FakeAwsError(
          403,
          "InvalidSignatureException",
          "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
        );
      case "unknown_key":
      case "bad_token":
        return new FakeAwsError(
          403,
          "UnrecognizedClientException",
          "The security token included in the request is invalid.",
        );
    }
  }

  render(error: FakeAwsError, requestId: string): FakeAnswer {
    return json(
      error.status,
      { Type: error.status >= 500 ? "Service" : "User", message: error.message, ...error.extra },
      { "x-amzn-errortype": error.code, "x-amzn-requestid": requestId, ...error.headers },
    );
  }
}
