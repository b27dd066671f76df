import ipaddr from "ipaddr.js";
import { AppError, type JsonObject } from "../../domain/index.js";
import { classifyAddress, unmapped } from "./address-ranges.js";
import { bareHost, canonicalHost, isAddress } from "./host-names.js";
import { forbiddenAddress, forbiddenHostName } from "./refusals.js";

/** Where the generic HTTP integration may connect, from the configuration. */
export interface NetworkPolicyOptions {
  /** Lets loopback, private and link-local addresses through (not cloud metadata). Default false. */
  allowPrivateNetworks: boolean;
  /** Host names ("api.internal", "*.corp.example"), addresses or CIDR ranges let through. */
  allowedHosts: readonly string[];
}

/** Decides, for every connection, whether its host and addresses may be reached. */
export interface NetworkPolicy {
  /**
   * Refuses a URL's host before anything is sent: an address literal outside the public
   * internet, or a cloud metadata host name. `hostname` is as the URL parser wrote it.
   */
  checkHost(hostname: string): void;
  /**
   * Refuses a connection to `hostname` unless EVERY address it resolved to may be reached
   * (one forbidden address among public ones is how DNS rebinding is tried).
   */
  checkAddresses(hostname: string, addresses: readonly string[]): void;
  /** The policy as the integration's check reports it. */
  describe(): JsonObject;
}

/** Instance metadata services by name: refused before they are even looked up. */
const METADATA_NAMES: ReadonlySet<string> = new Set([
  "metadata.google.internal",
  "metadata.goog",
  "instance-data",
  "instance-data.ec2.internal",
]);

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * The policy: http and https only (checked by the caller), and every address outside the
 * public internet refused unless `allowPrivateNetworks` (which never opens cloud metadata
 * services), or unless allowed by an
 * `allowedHosts` entry. An allowed NAME lets through whatever it resolves to; an allowed
 * ADDRESS or RANGE lets that address through whatever name led to it. Throws
 * invalid_argument naming `integrations.allowedHosts` for an entry that is none of those.
 */
export function createNetworkPolicy(options: NetworkPolicyOptions): NetworkPolicy {
  const names = new Set<string>();
  const suffixes: string[] = [];
  const ranges: Range[] = [];
  for (const entry of options.allowedHosts) {
    const parsed = parseEntry(entry);
    if (parsed.kind === "range") ranges.push(parsed.range);
    else if (parsed.kind === "suffix") suffixes.push(parsed.suffix);
    else names.add(parsed.name);
  }

  const nameAllowed = (host: string): boolean =>
    names.has(host) || suffixes.some((suffix) => host.endsWith(suffix));
  const addressAllowed = (address: string): boolean => {
    const ip = unmapped(address);
    return ranges.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits));
  };
  const checkAddress = (host: string, address: string): void => {
    const found = classifyAddress(address);
    if (found === null || addressAllowed(address)) return;
    // Metadata services hand out the machine's cloud credentials: only an explicit
    // allowedHosts entry lets them through, never the blanket switch.
    if (options.allowPrivateNetworks && found.range !== "cloud_metadata") return;
    throw forbiddenAddress(host, address, found.range);
  };

  return {
    checkHost(hostname) {
      const host = bareHost(hostname);
      if (isAddress(host)) {
        checkAddress(host, host);
        return;
      }
      if (METADATA_NAMES.has(host) && !nameAllowed(host))
        throw forbiddenHostName(host, "cloud_metadata");
    },
    checkAddresses(hostname, addresses) {
      const host = bareHost(hostname);
      if (!isAddress(host) && nameAllowed(host)) return;
      for (const address of addresses) checkAddress(host, address);
    },
    describe: () => ({
      schemes: ["http", "https"],
      allow_private_networks: options.allowPrivateNetworks,
      allowed_hosts: [...options.allowedHosts],
    }),
  };
}

type Entry =
  | { kind: "name"; name: string }
  | { kind: "suffix"; suffix: string }
  | { kind: "range"; range: Range };

function parseEntry(entry: string): Entry {
  const invalid = () =>
    AppError.invalidArgument(
      "integrations.allowedHosts",
      `integrations.allowedHosts: ${JSON.stringify(entry)} is not a host name, an IP address or a CIDR range (such as "api.internal", "*.corp.example", "10.1.2.3" or "10.1.0.0/16"), without scheme or port`,
    );
  const slash = entry.indexOf("/");
  if (slash >= 0) {
    const address = canonicalHost(entry.slice(0, slash));
    const bits = entry.slice(slash + 1).trim();
    if (address === undefined || !isAddress(address) || !/^\d{1,3}$/.test(bits)) throw invalid();
    try {
      return { kind: "range", range: ipaddr.parseCIDR(`${address}/${bits}`) };
    } catch {
      throw invalid();
    }
  }
  if (entry.trim().startsWith("*.")) {
    const rest = canonicalHost(entry.trim().slice(2));
    if (rest === undefined || isAddress(rest)) throw invalid();
    return { kind: "suffix", suffix: `.${rest}` };
  }
  const host = canonicalHost(entry);
  if (host === undefined || host.includes("*")) throw invalid();
  if (isAddress(host)) return { kind: "range", range: [unmapped(host), bitsOf(host)] };
  return { kind: "name", name: host };
}

function bitsOf(address: string): number {
  return unmapped(address).kind() === "ipv4" ? 32 : 128;
}
