import { closeNow, listenLocally } from "../../helpers/local-http-server.js";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import {
  type FailureKind,
  FakeAwsError,
  type FakeAnswer,
  type FakeRequest,
  type FakeService,
  type FakeServiceName,
  type InjectedFailure,
} from "./fake-aws-types.js";
import { FakeEc2 } from "./fake-ec2.js";
import { FakeLambda } from "./fake-lambda.js";
import { FakeS3 } from "./fake-s3.js";
import { payloadHashMatches, signatureMatches, signedParts, timeOf } from "./fake-sigv4.js";

export type { FakeRequest, InjectedFailure } from "./fake-aws-types.js";

/** The credentials the fake accepts. */
export interface FakeAwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** When set, every request must carry it (X-Amz-Security-Token). */
  sessionToken?: string;
  /** Default "us-east-1". */
  region?: string;
}

/**
 * A local stand-in for AWS: EC2 (Query API), S3 (REST-XML, path style) and Lambda (REST-JSON)
 * behind one endpoint, as LocalStack offers them. Each request must be SigV4-signed (in the
 * Authorization header, or in the query for presigned URLs) with the configured credentials:
 * the signature is recomputed, and refusals are each service's own auth errors. It keeps
 * state (instances, buckets and objects, functions), records every request, and can make the
 * next calls of an action fail as AWS fails (throttling, outages, auth, permissions).
 */
export class FakeAwsServer {
  readonly ec2 = new FakeEc2();
  readonly s3 = new FakeS3();
  readonly lambda: FakeLambda;
  /** Every request, in arrival order. */
  readonly requests: FakeRequest[] = [];
  /** Error messages end with the credentials the request came with (for redaction tests). */
  echoCredentialsInErrors = false;
  url = "";
  private server: Server | undefined;
  private readonly failures = new Map<string, InjectedFailure[]>();
  private readonly services: Readonly<Record<FakeServiceName, FakeService>>;

  constructor(readonly credentials: FakeAwsCredentials) {
    this.lambda = new FakeLambda(() => this.region);
    this.services = { ec2: this.ec2, s3: this.s3, lambda: this.lambda };
  }

  get region(): string {
    return this.credentials.region ?? "us-east-1";
  }

  async start(): Promise<this> {
    const { server, url } = await listenLocally(
      (req, res, body) => void this.answer(req, body, res),
    );
    this.server = server;
    this.url = url;
    return this;
  }

  close(): Promise<void> {
    return closeNow(this.server);
  }

  /** Makes the next `count` calls of `action` (e.g. "s3:GetObject") fail with `failure`. */
  failNext(action: string, count: number, failure: InjectedFailure): this {
    const queue = this.failures.get(action) ?? [];
    for (let i = 0; i < count; i++) queue.push(failure);
    this.failures.set(action, queue);
    return this;
  }

  /** Requests of one action. */
  calls(action: string): FakeRequest[] {
    return this.requests.filter((request) => request.action === action);
  }

  /** The latest request of one action; throws when there is none. */
  last(action: string): FakeRequest {
    const found = this.calls(action).at(-1);
    if (found === undefined) throw new Error(`the fake saw no ${action}`);
    return found;
  }

  private serviceOf(path: string, form: URLSearchParams, scope: string | undefined): FakeService {
    if (scope === "ec2" || scope === "s3" || scope === "lambda") return this.services[scope];
    if (path.startsWith("/2015-03-31/")) return this.lambda;
    return form.has("Action") ? this.ec2 : this.s3;
  }

  private async answer(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const [rawPath = "/", rawQuery = ""] = (req.url ?? "/").split(/\?(.*)/s);
    const query = new URLSearchParams(rawQuery);
    const isForm = (req.headers["content-type"] ?? "").startsWith(
      "application/x-www-form-urlencoded",
    );
    const form = new URLSearchParams(isForm ? body.toString("utf8") : "");
    const parts = signedParts(req.headers, query);
    const service = this.serviceOf(rawPath, form, parts?.service);
    const request: FakeRequest = {
      service: service.name,
      action: service.actionOf(method, rawPath, query, form),
      method,
      rawPath,
      query,
      headers: req.headers,
      body,
      form,
      accessKeyId: parts?.accessKeyId,
    };
    this.requests.push(request);
    const requestId = randomUUID();
    let answer: FakeAnswer;
    try {
      const refusal = this.authFailure(request, rawQuery);
      if (refusal !== undefined) throw service.failure(refusal, request);
      await this.injected(request, service);
      answer = service.handle(request);
    } catch (thrown) {
      const error =
        thrown instanceof FakeAwsError
          ? thrown
          : new FakeAwsError(500, "InternalError", `the fake failed: ${String(thrown)}`);
      answer = service.render(this.withEcho(error, request), requestId, method);
    }
    if (res.destroyed) return;
    res.writeHead(answer.status, answer.headers ?? {});
    res.end(answer.body);
  }

  private authFailure(request: FakeRequest, rawQuery: string): FailureKind | undefined {
    const parts = signedParts(request.headers, request.query);
    if (parts === undefined) return "missing_auth";
    if (parts.accessKeyId !== this.credentials.accessKeyId) return "unknown_key";
    if (parts.securityToken !== this.credentials.sessionToken) return "bad_token";
    if (parts.region !== this.region) return "bad_signature";
    const signed = { ...request, rawQuery };
    if (!signatureMatches(parts, signed, this.credentials.secretAccessKey)) return "bad_signature";
    if (!parts.presigned && !payloadHashMatches(request.headers, request.body)) {
      return "bad_signature";
    }
    if (parts.presigned && timeOf(parts.amzDate) + (parts.expires ?? 0) * 1000 < Date.now()) {
      throw new FakeAwsError(403, "AccessDenied", "Request has expired");
    }
    return undefined;
  }

  private async injected(request: FakeRequest, service: FakeService): Promise<void> {
    const failure = this.failures.get(request.action)?.shift();
    if (failure === undefined) return;
    if (failure.kind === "delay") {
      await new Promise((resolve) => setTimeout(resolve, failure.ms));
      return;
    }
    const error = service.failure(failure.kind, request);
    if (failure.kind === "throttle" && failure.retryAfterSeconds !== undefined) {
      throw new FakeAwsError(error.status, error.code, error.message, error.extra, {
        ...error.headers,
        "retry-after": String(failure.retryAfterSeconds),
      });
    }
    throw error;
  }

  private withEcho(error: FakeAwsError, request: FakeRequest): FakeAwsError {
    if (!this.echoCredentialsInErrors) return error;
    const token =
      request.headers["x-amz-security-token"] ?? request.query.get("X-Amz-Security-Token");
    const echo = ` (request credential ${request.accessKeyId ?? "none"}, security token ${String(token ?? "none")})`;
    return new FakeAwsError(
      error.status,
      error.code,
      `${error.message}${echo}`,
      error.extra,
      error.headers,
    );
  }
}
