import { AppError } from "../../domain/index.js";
import type { ForbiddenRange } from "./address-ranges.js";

/** The integration's name, as errors and logs name it. */
export const HTTP_INTEGRATION = "http";

/** The configuration settings that open the network policy, as refusals point to them. */
const ALLOW_WITH = ["integrations.allowedHosts", "integrations.allowPrivateNetworks"];
/** Cloud metadata services open only by name or address, never with the blanket switch. */
const ALLOW_METADATA_WITH = ["integrations.allowedHosts"];

function allowWith(range: ForbiddenRange): { text: string; settings: string[] } {
  return range === "cloud_metadata"
    ? { text: "integrations.allowedHosts", settings: ALLOW_METADATA_WITH }
    : {
        text: "integrations.allowedHosts or integrations.allowPrivateNetworks",
        settings: ALLOW_WITH,
      };
}

/** Only these URL schemes are fetched. */
export const ALLOWED_SCHEMES: readonly string[] = ["http:", "https:"];

/**
 * A host or address the network policy refuses: permission_denied with reason
 * "forbidden_address", naming the host, the address and its range, and how to allow it.
 */
export function forbiddenAddress(host: string, address: string, range: ForbiddenRange): AppError {
  const what = host === address ? address : `${host} (${address})`;
  const allow = allowWith(range);
  return new AppError(
    "permission_denied",
    `${HTTP_INTEGRATION}: ${what} is a ${range.replaceAll("_", " ")} address, which this integration does not reach; allow it with ${allow.text}`,
    {
      integration: HTTP_INTEGRATION,
      reason: "forbidden_address",
      host,
      address,
      range,
      allow_with: allow.settings,
    },
  );
}

/** A host name refused before any lookup (cloud metadata services). */
export function forbiddenHostName(host: string, range: ForbiddenRange): AppError {
  const allow = allowWith(range);
  return new AppError(
    "permission_denied",
    `${HTTP_INTEGRATION}: ${host} is a ${range.replaceAll("_", " ")} host name, which this integration does not reach; allow it with ${allow.text}`,
    {
      integration: HTTP_INTEGRATION,
      reason: "forbidden_address",
      host,
      range,
      allow_with: allow.settings,
    },
  );
}

/**
 * A URL this integration does not fetch (not absolute, no host, another scheme, userinfo).
 * `field` is "parameters.url" for the caller's URL, undefined for a redirect's Location.
 */
export function badUrl(
  reason: "invalid_url" | "unsupported_scheme" | "credentials_in_url",
  message: string,
  field: string | undefined,
): AppError {
  return new AppError("invalid_argument", `${HTTP_INTEGRATION}: ${message}`, {
    integration: HTTP_INTEGRATION,
    reason,
    ...(field === undefined ? {} : { field }),
  });
}

/** Why a request was refused before it was sent (by this module, never by the remote). */
const REFUSAL_REASONS: ReadonlySet<unknown> = new Set([
  "forbidden_address",
  "invalid_url",
  "unsupported_scheme",
  "credentials_in_url",
]);

/** A refusal at a redirect, saying which one: the caller's URL was fine, a Location was not. */
export function atRedirect(error: unknown, redirect: number): unknown {
  if (redirect === 0 || !(error instanceof AppError)) return error;
  if (error.details.integration !== HTTP_INTEGRATION || !REFUSAL_REASONS.has(error.details.reason))
    return error;
  return new AppError(error.code, `${error.message} (refused at redirect ${redirect})`, {
    ...error.details,
    redirect,
  });
}

/** An answer longer than the caller's limit: out_of_range with reason "too_large". */
export function responseTooLarge(limit: number, status: number): AppError {
  return new AppError(
    "out_of_range",
    `${HTTP_INTEGRATION}: the response body is larger than max_response_bytes (${limit} bytes); raise max_response_bytes (at most 10485760) or ask for less`,
    {
      integration: HTTP_INTEGRATION,
      field: "parameters.max_response_bytes",
      reason: "too_large",
      limit,
      remote_status: status,
    },
  );
}
