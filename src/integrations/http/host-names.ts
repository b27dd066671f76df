import { isIP } from "node:net";

/**
 * A URL host without IPv6 brackets or a trailing dot: "localhost." and "localhost" are the
 * same host to a resolver, so they must be to the policy too.
 */
export function bareHost(hostname: string): string {
  const unbracketed = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  return unbracketed.replace(/\.+$/, "");
}

/**
 * A host written by a person (an `integrations.allowedHosts` entry) as the WHATWG URL parser
 * canonicalises it, so it compares equal to the hosts of parsed URLs: lower case, punycode,
 * IPv4 in dotted decimal whatever the spelling, IPv6 compressed. Undefined when it is no host.
 */
export function canonicalHost(written: string): string | undefined {
  const trimmed = written.trim();
  const needsBrackets = trimmed.includes(":") && !trimmed.startsWith("[");
  try {
    const url = new URL(`http://${needsBrackets ? `[${trimmed}]` : trimmed}/`);
    if (url.port !== "" || url.username !== "" || url.pathname !== "/") return undefined;
    const host = bareHost(url.hostname);
    return host === "" ? undefined : host;
  } catch {
    return undefined;
  }
}

/** Whether a bare host is an IP address rather than a name. */
export function isAddress(host: string): boolean {
  return isIP(host) !== 0;
}

/**
 * Whether a bare host is "localhost" or a name under it: loopback by definition (RFC 6761
 * 6.3), so it is never handed to a resolver that might say otherwise.
 */
export function isLocalhostName(host: string): boolean {
  const name = host.toLowerCase();
  return name === "localhost" || name.endsWith(".localhost");
}

/** What a localhost name resolves to. */
export const LOCALHOST_ADDRESSES: readonly string[] = ["127.0.0.1", "::1"];
