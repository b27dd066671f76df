import { WebClient } from "@slack/web-api";
import type { OperationCall, Settings } from "../integration.js";
import { libraryLogger } from "./library-logger.js";

/** Slack's Web API, unless SLACK_API_URL says otherwise. */
export const DEFAULT_API_URL = "https://slack.com/api/";

/**
 * What the plugin keeps between calls. The Slack WebClient takes neither a per-call signal
 * nor a per-call logger, so each call gets its own (cheap) WebClient whose fetch carries the
 * call's signal: the request is really cancelled at the deadline.
 */
export class SlackClient {
  readonly apiUrl: string;

  constructor(
    private readonly token: string,
    apiUrl: string,
  ) {
    // The library appends method names to this URL, so it must end with "/".
    this.apiUrl = apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`;
  }

  /** A WebClient for one call: no retries of its own, rate limits surfaced at once. */
  web(call: Pick<OperationCall, "signal" | "logger">): WebClient {
    const { signal } = call;
    return new WebClient(this.token, {
      slackApiUrl: this.apiUrl,
      // The service retries (honouring Retry-After) and bounds the call with a deadline.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      // Only the configured API is ever called, whatever a method name looks like.
      allowAbsoluteUrls: false,
      logger: libraryLogger(call.logger, this.token),
      fetch: (url, init) =>
        fetch(url, {
          ...init,
          signal: init?.signal === undefined ? signal : AbortSignal.any([init.signal, signal]),
        }),
    });
  }
}

/** Builds the client from complete settings. */
export function createSlackClient(settings: Settings): SlackClient {
  return new SlackClient(settings.token ?? "", settings.apiUrl ?? DEFAULT_API_URL);
}
