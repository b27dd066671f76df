import { isIPv6 } from "node:net";
import ipaddr from "ipaddr.js";

/** Why an address is not on the public internet, as refusals name it. */
export type ForbiddenRange =
  | "loopback"
  | "unspecified"
  | "private"
  | "carrier_grade_nat"
  | "link_local"
  | "cloud_metadata"
  | "multicast"
  | "broadcast"
  | "reserved";

/** An address outside the public internet, and the IPv4 address it carries when embedded. */
export interface ForbiddenAddress {
  range: ForbiddenRange;
  /** The IPv4 address an IPv6 one embeds (mapped, compatible, NAT64, 6to4), when that decided. */
  embedded?: string;
}

/** Instance metadata services: they hand out the machine's cloud credentials. */
const METADATA_ADDRESSES: ReadonlySet<string> = new Set([
  "169.254.169.254", // AWS, GCP, Azure, OpenStack, DigitalOcean...
  "169.254.170.2", // AWS ECS task credentials
  "100.100.100.200", // Alibaba Cloud
  "168.63.129.16", // Azure platform (wireserver)
  "fd00:ec2::254", // AWS over IPv6
]);

const IPV4_RANGES: Readonly<Record<string, ForbiddenRange | null>> = {
  unicast: null,
  unspecified: "unspecified",
  broadcast: "broadcast",
  multicast: "multicast",
  linkLocal: "link_local",
  loopback: "loopback",
  carrierGradeNat: "carrier_grade_nat",
  private: "private",
};

const IPV6_RANGES: Readonly<Record<string, ForbiddenRange>> = {
  unspecified: "unspecified",
  linkLocal: "link_local",
  multicast: "multicast",
  loopback: "loopback",
  uniqueLocal: "private",
  deprecatedSiteLocal: "private",
};

const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR("2000::/3");
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR("64:ff9b::/96");

/**
 * What keeps `address` (an IP address in any form Node's resolver returns) off limits, or
 * null for a public unicast address. Every range that is not public internet is refused,
 * IPv4 ranges ipaddr.js knows as reserved, AS112 or AMT included; an IPv6 address embedding
 * an IPv4 one is judged by that IPv4 address.
 */
export function classifyAddress(address: string): ForbiddenAddress | null {
  const parsed = parseAddress(address);
  return parsed.kind() === "ipv4"
    ? classifyV4(parsed as ipaddr.IPv4)
    : classifyV6(parsed as ipaddr.IPv6);
}

function classifyV4(ip: ipaddr.IPv4): ForbiddenAddress | null {
  if (METADATA_ADDRESSES.has(ip.toString())) return { range: "cloud_metadata" };
  const range = IPV4_RANGES[ip.range()];
  if (range === null) return null;
  return { range: range ?? "reserved" };
}

function classifyV6(ip: ipaddr.IPv6): ForbiddenAddress | null {
  if (METADATA_ADDRESSES.has(ip.toString())) return { range: "cloud_metadata" };
  const kind = ip.range();
  const known = IPV6_RANGES[kind];
  if (known !== undefined) return { range: known };
  const embedded = embeddedIPv4(ip);
  if (embedded !== undefined) {
    const inner = classifyV4(embedded);
    if (inner !== null) return { range: inner.range, embedded: embedded.toString() };
    // The deprecated IPv4-compatible form is not routed on the internet.
    return isIPv4Compatible(ip) ? { range: "reserved", embedded: embedded.toString() } : null;
  }
  if (kind === "unicast" && ip.match(GLOBAL_UNICAST_V6)) return null;
  // Local-use NAT64 (64:ff9b:1::/48) reaches a private network by design.
  if (kind === "rfc6052") return { range: "private" };
  // Teredo (which hides its client), documentation, benchmarking, ORCHID, unallocated space.
  return { range: "reserved" };
}

/** The IPv4 address an IPv6 address stands for, when it is built around one. */
function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const kind = ip.range();
  const bytes = ip.toByteArray();
  if (kind === "ipv4Mapped" || kind === "rfc6145" || isIPv4Compatible(ip))
    return v4(bytes.slice(12, 16));
  if (kind === "rfc6052" && ip.match(NAT64_WELL_KNOWN)) return v4(bytes.slice(12, 16));
  if (kind === "6to4") return v4(bytes.slice(2, 6));
  return undefined;
}

/** ::a.b.c.d (RFC 4291's deprecated IPv4-compatible form), not :: or ::1. */
function isIPv4Compatible(ip: ipaddr.IPv6): boolean {
  const kind = ip.range();
  return kind === "unicast" && ip.parts.slice(0, 6).every((part) => part === 0);
}

function v4(bytes: number[]): ipaddr.IPv4 {
  return new ipaddr.IPv4(bytes);
}

/**
 * The IPv4 address an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is, else the address
 * itself: the same host in two spellings, so an allowed address matches both.
 */
export function unmapped(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const parsed = parseAddress(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    return (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed;
}

/**
 * Parses an address as the resolver or the URL parser spells it. An IPv6 address goes
 * through the WHATWG URL parser first: ipaddr.js reads "::a.b.c.d" as IPv4-mapped, while it
 * is the IPv4-compatible form (which the URL parser writes in hex). A zone id is dropped: it
 * picks an interface, not a host.
 */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const bare = address.replace(/^\[|\]$/g, "").split("%")[0] ?? "";
  if (isIPv6(bare)) return ipaddr.parse(new URL(`http://[${bare}]/`).hostname.slice(1, -1));
  return ipaddr.parse(bare);
}
