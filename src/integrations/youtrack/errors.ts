import { AppError } from "../../domain/index.js";
import { remoteErrorOfStatus } from "../framework/remote-errors.js";

/** The plugin's name, as errors and results name the integration. */
export const YOUTRACK = "youtrack";

/**
 * A non-2xx answer of the YouTrack REST API, as it sends them:
 * `{"error": "...", "error_description": "..."}`.
 */
export class YouTrackApiError extends Error {
  override readonly name = "YouTrackApiError";

  constructor(
    readonly status: number,
    /** The body's `error` (e.g. "Not Found", "bad_request"), when it had one. */
    readonly error: string | undefined,
    /** The body's `error_description`, or the raw body when it was not YouTrack's JSON. */
    readonly description: string | undefined,
    /** The Retry-After header, when there was one. */
    readonly retryAfter: string | null,
    /** What the request addressed, e.g. `issue "DEMO-12"`, so a 404 names it. */
    readonly subject: string | undefined,
  ) {
    super(`YouTrack answered HTTP ${status}: ${description ?? error ?? ""}`);
  }
}

/** Reads YouTrack's error body; anything else is kept as text. */
export function apiErrorOf(
  status: number,
  text: string,
  retryAfter: string | null,
  subject: string | undefined,
): YouTrackApiError {
  let error: string | undefined;
  let description: string | undefined = text.trim() === "" ? undefined : text.slice(0, 500);
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body === "object" && body !== null) {
      const fields = body as { error?: unknown; error_description?: unknown };
      if (typeof fields.error === "string") error = fields.error;
      if (typeof fields.error_description === "string") description = fields.error_description;
      else if (error !== undefined) description = undefined;
    }
  } catch {
    // Not JSON (a proxy's HTML page, say): the text is the message.
  }
  return new YouTrackApiError(status, error, description, retryAfter, subject);
}

/**
 * The AppError for what the YouTrack client threw: HTTP statuses mapped by the framework's
 * table (401 bad_credentials, 403 permission_denied, 404 not_found, 400 invalid_request,
 * 429 rate_limited and 5xx unavailable with Retry-After), the message naming what was
 * addressed and saying what YouTrack said. Anything else is left to the framework.
 */
export function mapYouTrackError(thrown: unknown): AppError | undefined {
  if (!(thrown instanceof YouTrackApiError)) return undefined;
  const said = thrown.description ?? thrown.error;
  const message =
    thrown.subject === undefined
      ? said
      : `${thrown.subject}${said === undefined ? "" : `: ${said}`}`;
  return remoteErrorOfStatus(YOUTRACK, thrown.status, message, thrown.retryAfter);
}

/** Adds what had already happened remotely to an error's message and details. */
export function withProgress(
  thrown: unknown,
  note: string,
  facts: Record<string, string>,
): unknown {
  const error = thrown instanceof AppError ? thrown : mapYouTrackError(thrown);
  if (error === undefined) return thrown;
  return new AppError(error.code, `${error.message} (${note})`, { ...error.details, ...facts });
}
