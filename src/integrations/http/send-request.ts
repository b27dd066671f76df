import { request } from "undici";
import { AppError } from "../../domain/index.js";
import { remoteError, remoteErrorOfStatus } from "../framework/remote-errors.js";
import type { OperationCall } from "../integration.js";
import type { HttpClient } from "./client.js";
import { atRedirect, HTTP_INTEGRATION } from "./refusals.js";
import { bodilessHeaders, crossOriginHeaders } from "./request-headers.js";
import { errorSnippet, readBounded } from "./response-body.js";
import { headerValue, type RawHeaders } from "./response-headers.js";
import { redirectUrl } from "./target-url.js";

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Most redirects followed; one more fails the call. */
export const MAX_REDIRECTS = 5;
/** Most of an error answer read for its message. */
const ERROR_BODY_BYTES = 64 * 1024;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** One request as the operation prepared it. */
export interface Exchange {
  method: HttpMethod;
  /** Already checked by the policy. */
  url: URL;
  /** Lower-cased names, the body's content type included. */
  headers: Record<string, string>;
  body: Buffer | undefined;
  followRedirects: boolean;
  maxResponseBytes: number;
  /** Statuses that succeed; undefined for the default (2xx, 304, and 3xx when not following). */
  acceptStatus: readonly number[] | undefined;
}

/** The final answer, its body read within the limit. */
export interface Received {
  status: number;
  headers: RawHeaders;
  bytes: Buffer;
  finalUrl: URL;
  redirects: number;
}

/**
 * Sends the request, following redirects itself (undici follows none) so that every hop's
 * URL goes through the policy before it is fetched and its connection at connect time. A 303
 * (and a 301/302 answering a POST) turns the request into a GET without body; a redirect to
 * another origin drops the credential headers. An answer whose status is not accepted fails
 * through remoteErrorOfStatus, with the status in the details.
 */
export async function sendRequest(
  client: HttpClient,
  exchange: Exchange,
  call: OperationCall,
): Promise<Received> {
  let { method, url, headers, body } = exchange;
  for (let redirects = 0; ; redirects++) {
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(url, {
        dispatcher: client.dispatcher,
        method,
        headers,
        body,
        signal: call.signal,
      });
    } catch (error) {
      throw atRedirect(error, redirects);
    }
    const { statusCode: status } = response;
    const raw = response.headers as RawHeaders;
    call.logger.debug(
      { method, origin: url.origin, status, redirects },
      "http integration got an answer",
    );
    const location = headerValue(raw, "location");
    if (exchange.followRedirects && REDIRECT_STATUSES.has(status) && location !== undefined) {
      await response.body.dump();
      if (redirects === MAX_REDIRECTS)
        throw remoteError(
          HTTP_INTEGRATION,
          "remote_error",
          `more than ${MAX_REDIRECTS} redirects; the last answer was HTTP ${status}`,
          { remoteStatus: status },
        );
      let next: URL;
      try {
        next = redirectUrl(location, url, client.policy);
      } catch (error) {
        throw atRedirect(error, redirects + 1);
      }
      if (
        (status === 303 && method !== "HEAD") ||
        ((status === 301 || status === 302) && method === "POST")
      ) {
        method = "GET";
        body = undefined;
        headers = bodilessHeaders(headers);
      }
      if (next.origin !== url.origin) headers = crossOriginHeaders(headers);
      url = next;
      continue;
    }
    // A HEAD answer's Content-Length is that of the GET it stands for: nothing to read.
    const bodiless = method === "HEAD" || status === 204 || status === 304;
    const contentLength = bodiless ? undefined : headerValue(raw, "content-length");
    if (!accepted(status, exchange)) {
      const limit = Math.min(exchange.maxResponseBytes, ERROR_BODY_BYTES);
      const bytes = await readBounded(response.body, limit, status, contentLength, true);
      const error = remoteErrorOfStatus(
        HTTP_INTEGRATION,
        status,
        errorSnippet(bytes, headerValue(raw, "content-type")),
        headerValue(raw, "retry-after"),
      );
      throw new AppError(error.code, error.message, { ...error.details, redirects });
    }
    const bytes = await readBounded(
      response.body,
      exchange.maxResponseBytes,
      status,
      contentLength,
    );
    return { status, headers: raw, bytes, finalUrl: url, redirects };
  }
}

function accepted(status: number, exchange: Exchange): boolean {
  if (exchange.acceptStatus !== undefined) return exchange.acceptStatus.includes(status);
  if (status >= 200 && status < 300) return true;
  if (status === 304) return true;
  return !exchange.followRedirects && status >= 300 && status < 400;
}
