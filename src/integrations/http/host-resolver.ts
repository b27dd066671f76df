import { lookup } from "node:dns/promises";

/** One address a host name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/**
 * Resolves a host name to ALL its addresses (the policy refuses a name when any of them is
 * forbidden). Injectable so tests map their own names without touching the system resolver;
 * a name it does not know fails with an error whose `code` is "ENOTFOUND".
 */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The system resolver (getaddrinfo: /etc/hosts, then DNS), in the order it answers. */
export const systemResolver: HostResolver = (hostname) => lookup(hostname, { all: true });
