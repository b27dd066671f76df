import { CrumbJson, parseAnswer } from "./responses.js";

/** A CSRF crumb and the session it belongs to (Jenkins ties crumbs to sessions). */
export interface Crumb {
  /** The header to send it in, usually "Jenkins-Crumb". */
  field: string;
  value: string;
  /** The session cookie(s) set with it, as a Cookie header value; "" when none. */
  cookie: string;
}

/** The crumb issuer's path; a 404 there means CSRF protection is off. */
export const CRUMB_ISSUER_PATH = "/crumbIssuer/api/json";

/** Reads the crumb issuer's answer and the session cookies it set. */
export function crumbOfAnswer(body: string, headers: Headers): Crumb {
  const json = parseAnswer(CrumbJson, body, "the crumb issuer's answer");
  const cookie = headers
    .getSetCookie()
    .map((line) => line.split(";")[0]?.trim() ?? "")
    .filter((pair) => pair.includes("="))
    .join("; ");
  return { field: json.crumbRequestField, value: json.crumb, cookie };
}

/** The headers that carry a crumb on a POST (none when CSRF protection is off). */
export function crumbHeaders(crumb: Crumb | null): Record<string, string> {
  if (crumb === null) return {};
  const headers: Record<string, string> = { [crumb.field]: crumb.value };
  if (crumb.cookie !== "") headers.cookie = crumb.cookie;
  return headers;
}
