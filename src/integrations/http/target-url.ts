import type { NetworkPolicy } from "./network-policy.js";
import { ALLOWED_SCHEMES, badUrl } from "./refusals.js";

/** A query parameter's value; an array repeats the parameter. */
export type QueryValue = string | number | boolean | (string | number | boolean)[];

/**
 * The URL a caller gave, canonicalised by the WHATWG URL parser (so every spelling of an
 * address, "0x7f.1", "2130706433", "%31%32%37.0.0.1", reaches the policy as dotted decimal),
 * with `query` merged in (a key given there replaces the same key in the URL) and the
 * fragment dropped; refused unless the policy lets its host through.
 */
export function targetUrl(
  raw: string,
  query: Readonly<Record<string, QueryValue>> | undefined,
  policy: NetworkPolicy,
): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badUrl(
      "invalid_url",
      "parameters.url is not an absolute http or https URL (an IPv6 zone id is not accepted)",
      "parameters.url",
    );
  }
  for (const [key, value] of Object.entries(query ?? {})) {
    url.searchParams.delete(key);
    for (const item of Array.isArray(value) ? value : [value])
      url.searchParams.append(key, String(item));
  }
  return checked(url, policy, "parameters.url", "parameters.url");
}

/** Where a redirect's Location leads from `from`, refused like a URL given by the caller. */
export function redirectUrl(location: string, from: URL, policy: NetworkPolicy): URL {
  const where = "the redirect's Location";
  let url: URL;
  try {
    url = new URL(location, from);
  } catch {
    throw badUrl("invalid_url", `${where} is not a URL`, undefined);
  }
  return checked(url, policy, where, undefined);
}

function checked(url: URL, policy: NetworkPolicy, where: string, field: string | undefined): URL {
  if (!ALLOWED_SCHEMES.includes(url.protocol))
    throw badUrl(
      "unsupported_scheme",
      `${where} is a ${url.protocol} URL; only http: and https: are fetched`,
      field,
    );
  if (url.hostname === "") throw badUrl("invalid_url", `${where} has no host`, field);
  policy.checkHost(url.hostname);
  if (url.username !== "" || url.password !== "")
    throw badUrl(
      "credentials_in_url",
      `${where} carries credentials (user:password@); send them in an Authorization header`,
      field,
    );
  url.hash = "";
  return url;
}
