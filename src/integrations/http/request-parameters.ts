import { Type } from "@sinclair/typebox";
import { HEADER_NAME_PATTERN } from "./request-headers.js";
import { MAX_REQUEST_BYTES } from "./request-body.js";
import { HTTP_METHODS, type HttpMethod } from "./send-request.js";

/** Default of max_response_bytes: 1 MiB. */
export const DEFAULT_RESPONSE_BYTES = 1024 * 1024;
/** Largest max_response_bytes: 10 MiB. */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

const scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);

/** Parameters of the `request` operation. */
export const requestParameters = Type.Object(
  {
    method: Type.Optional(
      Type.Unsafe<HttpMethod>({
        type: "string",
        enum: [...HTTP_METHODS],
        default: "GET",
        description: "The HTTP method. Default GET.",
      }),
    ),
    url: Type.String({
      minLength: 1,
      maxLength: 8192,
      description:
        "Absolute http:// or https:// URL. Hosts outside the public internet are refused unless the configuration allows them (integrations.allowedHosts, integrations.allowPrivateNetworks).",
    }),
    headers: Type.Optional(
      Type.Record(Type.String({ pattern: HEADER_NAME_PATTERN }), Type.String({ maxLength: 8192 }), {
        additionalProperties: false,
        maxProperties: 100,
        description:
          "Request headers by name. Host, Content-Length, Expect and hop-by-hop headers (Connection, Transfer-Encoding, ...) are refused.",
      }),
    ),
    query: Type.Optional(
      Type.Record(Type.String(), Type.Union([scalar, Type.Array(scalar, { maxItems: 100 })]), {
        maxProperties: 100,
        description:
          "Query parameters merged into the URL; a key given here replaces the same key in the URL, an array repeats it.",
      }),
    ),
    json: Type.Optional(
      Type.Unknown({
        description:
          "A JSON body (any JSON value); sets content-type application/json unless headers set one.",
      }),
    ),
    body: Type.Optional(
      Type.String({
        maxLength: MAX_REQUEST_BYTES,
        description:
          "A text body sent as UTF-8; content-type text/plain; charset=utf-8 unless headers set one.",
      }),
    ),
    body_base64: Type.Optional(
      Type.String({
        maxLength: Math.ceil(MAX_REQUEST_BYTES / 3) * 4,
        pattern: "^[A-Za-z0-9+/]*={0,2}$",
        description:
          "a binary body in base64 (standard alphabet); content-type application/octet-stream unless headers set one",
      }),
    ),
    max_response_bytes: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_RESPONSE_BYTES,
        default: DEFAULT_RESPONSE_BYTES,
        description:
          "Largest response body read (default 1 MiB, at most 10 MiB); a longer one fails with out_of_range, reason too_large.",
      }),
    ),
    follow_redirects: Type.Optional(
      Type.Boolean({
        default: true,
        description:
          "Follow redirects (at most 5, each hop checked by the network policy; 303 turns into GET). Default true.",
      }),
    ),
    accept_status: Type.Optional(
      Type.Array(Type.Integer({ minimum: 100, maximum: 599 }), {
        minItems: 1,
        maxItems: 100,
        uniqueItems: true,
        description:
          "Statuses that count as success. Default: 2xx and 304, and every 3xx when follow_redirects is false. Any other status fails the call.",
      }),
    ),
    idempotency_header: Type.Optional(
      Type.String({
        pattern: HEADER_NAME_PATTERN,
        description:
          "a header name (such as Idempotency-Key) in which to send the call's idempotency key, for APIs that de-duplicate by it",
      }),
    ),
  },
  { additionalProperties: false },
);
