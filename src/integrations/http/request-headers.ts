import { AppError } from "../../domain/index.js";

/** An HTTP header name (RFC 9110 token). */
export const HEADER_NAME_PATTERN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";

/**
 * Headers a caller may not set: the connection's own (hop-by-hop, RFC 9110 7.6.1), Host
 * (it follows the URL, so it cannot point a request at another virtual host than the one
 * the policy checked) and those the client computes from the body.
 */
const REFUSED: Readonly<Record<string, string>> = {
  host: "it follows the URL",
  connection: "it is a hop-by-hop header",
  "keep-alive": "it is a hop-by-hop header",
  "proxy-connection": "it is a hop-by-hop header",
  "proxy-authenticate": "it is a hop-by-hop header",
  "proxy-authorization": "it is a hop-by-hop header",
  te: "it is a hop-by-hop header",
  trailer: "it is a hop-by-hop header",
  "transfer-encoding": "it is a hop-by-hop header",
  upgrade: "it is a hop-by-hop header",
  "content-length": "it is computed from the body",
  expect: "the client does not wait for 100-continue",
};

/**
 * Header names whose values are treated as secrets: never logged, masked from results and
 * errors when the remote echoes them, and dropped when a redirect leaves the origin.
 */
const SENSITIVE_NAME = /auth|cookie|token|secret|passw|key|session|signature|credential/i;

/** Whether a header (or query parameter) of this name carries a secret. */
export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

/**
 * The caller's headers with lower-cased names, refusing hop-by-hop ones, Host, a name given
 * twice in different cases and values with line breaks.
 */
export function outgoingHeaders(given: Readonly<Record<string, string>>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    const lower = name.toLowerCase();
    const field = `parameters.headers.${name}`;
    refuseReserved(lower, field);
    if (headers[lower] !== undefined)
      throw AppError.invalidArgument(field, `${field} is given twice (header names ignore case)`);
    if (/[\r\n\0]/.test(value))
      throw AppError.invalidArgument(field, `${field} must not contain line breaks or NUL`);
    headers[lower] = value;
  }
  return headers;
}

/** Throws invalid_argument, reason "forbidden_header", for a header a caller may not set. */
export function refuseReserved(name: string, field: string): void {
  const why = REFUSED[name.toLowerCase()];
  if (why !== undefined)
    throw AppError.invalidArgument(field, `${field} cannot be set: ${why}`, {
      reason: "forbidden_header",
    });
}

/** The headers kept when a redirect leaves the origin: credentials stay with their origin. */
export function crossOriginHeaders(
  headers: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !isSensitiveName(name)));
}

/** The headers kept when a redirect turns the request into a GET: no body, so no body headers. */
export function bodilessHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !name.startsWith("content-")),
  );
}
