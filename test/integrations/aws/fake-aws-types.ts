import type { IncomingHttpHeaders } from "node:http";

/** The services the fake answers for. */
export type FakeServiceName = "ec2" | "s3" | "lambda";

/** A request as the fake saw it. */
export interface FakeRequest {
  service: FakeServiceName;
  /** IAM-style action, e.g. "ec2:DescribeInstances", "s3:GetObject", "lambda:Invoke". */
  action: string;
  method: string;
  /** The path as sent (still percent-encoded). */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** EC2's form-encoded parameters (empty for the other services). */
  form: URLSearchParams;
  /** The access key id the request was signed with, if any. */
  accessKeyId: string | undefined;
}

/** An HTTP answer. */
export interface FakeAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** A refusal in a service's own words: rendered in its error format. */
export class FakeAwsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** More fields of the error body (S3's <Key>, <BucketName>, <AWSAccessKeyId>...). */
    readonly extra: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The standard failures each service renders its own way. */
export type FailureKind =
  | "throttle"
  | "unavailable"
  | "unknown_key"
  | "bad_signature"
  | "bad_token"
  | "missing_auth"
  | "denied";

/** What `failNext` makes the next calls of an action do. */
export type InjectedFailure =
  | { kind: Exclude<FailureKind, "throttle">; retryAfterSeconds?: undefined }
  | { kind: "throttle"; retryAfterSeconds?: number }
  /** Answers after `ms` (a long delay makes a call time out). */
  | { kind: "delay"; ms: number };

/** One service of the fake. */
export interface FakeService {
  readonly name: FakeServiceName;
  /** The action a request is (before it is authenticated). */
  actionOf(method: string, path: string, query: URLSearchParams, form: URLSearchParams): string;
  handle(request: FakeRequest): FakeAnswer;
  /** The service's own error for a standard failure. */
  failure(kind: FailureKind, request: FakeRequest): FakeAwsError;
  /** An error as the service writes it on the wire. */
  render(error: FakeAwsError, requestId: string, method: string): FakeAnswer;
}
