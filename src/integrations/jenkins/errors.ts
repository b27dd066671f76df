import { AppError, type JsonObject } from "../../domain/index.js";
import { remoteError, remoteErrorOfStatus } from "../framework/remote-errors.js";

/** The integration's name, as errors and logs say it. */
export const JENKINS = "jenkins";

/** What a failed HTTP answer from Jenkins said. */
export interface JenkinsFailure {
  status: number;
  /** The answer's message without markup, bounded. */
  summary: string;
  retryAfter: string | null;
  /** What was asked for, e.g. `job "team/app"`, named in not-found errors. */
  subject: string | undefined;
  /** A 403 saying the request carried no valid CSRF crumb. */
  crumbRejected: boolean;
}

/** A non-2xx answer from Jenkins, turned into an AppError by {@link mapJenkinsError}. */
export class JenkinsHttpError extends Error {
  override readonly name = "JenkinsHttpError";

  constructor(readonly failure: JenkinsFailure) {
    super(`HTTP ${failure.status}${failure.summary === "" ? "" : `: ${failure.summary}`}`);
  }

  /** A transient answer while following a build: Jenkins restarting, a proxy rate limiting. */
  get transient(): boolean {
    return [429, 502, 503, 504].includes(this.failure.status);
  }
}

/** The AppError for a failed Jenkins answer, naming what was not found. */
export function appErrorOfFailure(failure: JenkinsFailure): AppError {
  const said =
    failure.status === 404 && failure.subject !== undefined ? failure.subject : failure.summary;
  return remoteErrorOfStatus(JENKINS, failure.status, said, failure.retryAfter);
}

/** The plugin's `mapError`: Jenkins' HTTP failures as AppErrors, the rest left to the runtime. */
export function mapJenkinsError(error: unknown): Error | undefined {
  if (error instanceof JenkinsHttpError) return appErrorOfFailure(error.failure);
  return undefined;
}

/** Jenkins answered something this plugin cannot read. */
export function unexpectedAnswer(what: string): AppError {
  return remoteError(JENKINS, "remote_error", `unexpected answer: ${what}`);
}

/** A build that finished with another result than SUCCESS: the call fails, not retryably. */
export function buildFailedError(facts: {
  job: string;
  number: number;
  result: string;
  url: string;
  durationMs: number;
}): AppError {
  const details: JsonObject = {
    integration: JENKINS,
    reason: "build_failed",
    job: facts.job,
    build_number: facts.number,
    result: facts.result,
    url: facts.url,
    duration_ms: facts.durationMs,
  };
  return new AppError(
    "failed_precondition",
    `${JENKINS}: build ${facts.job} #${facts.number} finished with ${facts.result}`,
    details,
  );
}

/** A queued build cancelled before it started. */
export function queueCancelledError(job: string, queueItem: number): AppError {
  return new AppError(
    "failed_precondition",
    `${JENKINS}: the queued build of ${job} (queue item ${queueItem}) was cancelled before it started`,
    { integration: JENKINS, reason: "build_cancelled", job, queue_item: queueItem },
  );
}
