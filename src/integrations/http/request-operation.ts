import { AppError, type JsonObject } from "../../domain/index.js";
import { createRedactor, type Redactor } from "../framework/redactor.js";
import { defineOperation } from "../integration.js";
import type { HttpClient } from "./client.js";
import { isSensitiveName, outgoingHeaders, refuseReserved } from "./request-headers.js";
import { outgoingBody } from "./request-body.js";
import { DEFAULT_RESPONSE_BYTES, requestParameters } from "./request-parameters.js";
import { describeBody } from "./response-body.js";
import { boundedHeaders, headerValue } from "./response-headers.js";
import { sendRequest } from "./send-request.js";
import { targetUrl } from "./target-url.js";

/** The generic HTTP call. */
export const requestOperation = defineOperation<HttpClient, typeof requestParameters>({
  description:
    "Sends one HTTP request to an http or https URL the network policy allows and returns the status, headers and body (parsed JSON, text, or base64). Redirects are followed (at most 5, each checked). A status that is not accepted fails the call. Recorded by idempotency key like every side effect, GET and HEAD included.",
  parameters: requestParameters,
  // POST, PUT, PATCH and DELETE act on the remote; the method is a parameter, so the call is
  // declared as acting: never retried when the remote is down, recorded by idempotency key.
  sideEffect: true,
  async run(client, parameters, call) {
    const url = targetUrl(parameters.url, parameters.query, client.policy);
    const headers = outgoingHeaders(parameters.headers ?? {});
    // The runtime fills the defaults in; they are repeated for a caller of `run` itself.
    const method = parameters.method ?? "GET";
    const body = outgoingBody({ ...parameters, method });
    if (body !== undefined) headers["content-type"] ??= body.contentType;
    const keyHeader = parameters.idempotency_header?.toLowerCase();
    if (keyHeader !== undefined) {
      refuseReserved(keyHeader, "parameters.idempotency_header");
      headers[keyHeader] = call.idempotencyKey;
    }
    const redactor = sensitiveValues(headers, url);
    try {
      const received = await sendRequest(
        client,
        {
          method,
          url,
          headers,
          body: body?.bytes,
          followRedirects: parameters.follow_redirects ?? true,
          maxResponseBytes: parameters.max_response_bytes ?? DEFAULT_RESPONSE_BYTES,
          acceptStatus: parameters.accept_status,
        },
        call,
      );
      const { headers: shown, truncated } = boundedHeaders(received.headers);
      const result: JsonObject = {
        status: received.status,
        headers: shown,
        ...(truncated ? { headers_truncated: true } : {}),
        ...describeBody(received.bytes, headerValue(received.headers, "content-type")),
        final_url: received.finalUrl.href,
        redirects: received.redirects,
      };
      return redactor.json(result);
    } catch (error) {
      throw redacted(error, redactor);
    }
  },
});

/**
 * The values of credential-like headers and query parameters (Authorization, Cookie,
 * X-Api-Key, ?token=...): masked wherever the remote echoes them, in results and errors.
 */
function sensitiveValues(headers: Readonly<Record<string, string>>, url: URL): Redactor {
  const values = Object.entries(headers)
    .filter(([name]) => isSensitiveName(name))
    .map(([, value]) => value);
  for (const [name, value] of url.searchParams) if (isSensitiveName(name)) values.push(value);
  return createRedactor(values);
}

function redacted(error: unknown, redactor: Redactor): unknown {
  if (!(error instanceof AppError) || !redactor.active) return error;
  return new AppError(
    error.code,
    redactor.text(error.message),
    redactor.json(error.details) as JsonObject,
  );
}
