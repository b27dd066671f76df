import type { AppError } from "../../domain/index.js";
import {
  failureOfStatus,
  parseRetryAfter,
  remoteError,
  type RemoteFailure,
  type RemoteFailureFacts,
} from "../framework/remote-errors.js";

/** The AWS services this integration calls. */
export type AwsService = "ec2" | "s3" | "lambda";

const REASON_OF_CODE: Readonly<Record<string, RemoteFailure>> = {
  AuthFailure: "bad_credentials",
  InvalidClientTokenId: "bad_credentials",
  InvalidAccessKeyId: "bad_credentials",
  SignatureDoesNotMatch: "bad_credentials",
  InvalidSignatureException: "bad_credentials",
  UnrecognizedClientException: "bad_credentials",
  ExpiredToken: "bad_credentials",
  ExpiredTokenException: "bad_credentials",
  InvalidToken: "bad_credentials",
  MissingAuthenticationToken: "bad_credentials",
  MissingAuthenticationTokenException: "bad_credentials",
  UnauthorizedOperation: "permission_denied",
  AccessDenied: "permission_denied",
  AccessDeniedException: "permission_denied",
  NoSuchBucket: "not_found",
  NoSuchKey: "not_found",
  NoSuchVersion: "not_found",
  NotFound: "not_found",
  ResourceNotFoundException: "not_found",
  RequestLimitExceeded: "rate_limited",
  Throttling: "rate_limited",
  ThrottlingException: "rate_limited",
  SlowDown: "rate_limited",
  TooManyRequestsException: "rate_limited",
  RequestThrottled: "rate_limited",
  RequestThrottledException: "rate_limited",
  ServiceUnavailable: "unavailable",
  ServiceUnavailableException: "unavailable",
  InternalError: "unavailable",
  InternalFailure: "unavailable",
  ServiceException: "unavailable",
  IncorrectInstanceState: "conflict",
  IncorrectState: "conflict",
  ResourceConflictException: "conflict",
  BucketNotEmpty: "conflict",
  OperationAborted: "conflict",
};

/** What the SDK's ServiceException carries (any service's, so no import of each class). */
interface ServiceErrorShape {
  name: string;
  message: string;
  $fault?: unknown;
  $metadata: { httpStatusCode?: number };
  /** The raw HTTP response, set (not enumerable) on errors thrown while reading an answer. */
  $response?: { headers?: Record<string, string | undefined> };
}

function isServiceError(error: unknown): error is ServiceErrorShape {
  if (!(error instanceof Error)) return false;
  const metadata = (error as { $metadata?: unknown }).$metadata;
  return typeof metadata === "object" && metadata !== null;
}

/** The failure an AWS error code (and, failing that, its HTTP status) means. */
export function reasonOfAwsError(code: string, status: number | undefined): RemoteFailure {
  const known = REASON_OF_CODE[code];
  if (known !== undefined) return known;
  if (code.endsWith(".NotFound") || code.startsWith("InvalidInstanceID.")) return "not_found";
  if (status !== undefined) return failureOfStatus(status);
  return "remote_error";
}

/**
 * The AppError for what an AWS SDK client threw: an answer of the service (its
 * ServiceException, with the AWS error code and HTTP status), mapped by the code first since
 * AWS reuses statuses (EC2 throttles with 503, Lambda refuses a key with 403). Anything else
 * (aborts, sockets) returns undefined for the runtime to classify.
 */
export function mapAwsError(error: unknown, service?: AwsService): AppError | undefined {
  if (!isServiceError(error)) return undefined;
  const status = error.$metadata.httpStatusCode;
  if (error.$fault === undefined && status === undefined) return undefined;
  const code = error.name;
  const reason = reasonOfAwsError(code, status);
  const facts: RemoteFailureFacts = {};
  if (status !== undefined) facts.remoteStatus = status;
  if (reason === "rate_limited") {
    const retryAfterMs = parseRetryAfter(error.$response?.headers?.["retry-after"]);
    if (retryAfterMs !== undefined) facts.retryAfterMs = retryAfterMs;
  }
  const where = service === undefined ? "" : `${service} `;
  const http = status === undefined ? "" : ` (HTTP ${status})`;
  const said = error.message.trim() === "" ? "" : `: ${error.message.trim().slice(0, 500)}`;
  return remoteError("aws", reason, `${where}${code}${http}${said}`, facts);
}

/** Awaits one SDK call, turning the service's refusal into an AppError naming the service. */
export async function awsCall<T>(service: AwsService, sent: Promise<T>): Promise<T> {
  try {
    return await sent;
  } catch (thrown) {
    throw mapAwsError(thrown, service) ?? thrown;
  }
}
