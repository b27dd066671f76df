import { isIP } from "node:net";
import { buildConnector } from "undici";
import { bareHost, isLocalhostName, LOCALHOST_ADDRESSES } from "./host-names.js";
import type { HostResolver } from "./host-resolver.js";
import type { NetworkPolicy } from "./network-policy.js";

/** Connection failures after which the next resolved address is tried. */
const TRY_NEXT = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * undici's connector with the network policy at connect time: the host is resolved here
 * (every address), the policy checks the addresses, and the socket is opened to a checked
 * address, never to a second lookup of the name ("localhost" and names under it are not
 * looked up: they are 127.0.0.1 and ::1). So what is connected to is always what was
 * checked: a name answering a public address to one lookup and 127.0.0.1 to the next (DNS
 * rebinding) is refused on the connection that would use 127.0.0.1, and every redirect hop
 * that opens a connection is checked the same way. TLS still verifies the certificate
 * against the host name (undici takes the SNI name from `host`, untouched here).
 */
export function createGuardedConnector(
  policy: NetworkPolicy,
  resolve: HostResolver,
  tls: { ca?: string } = {},
): buildConnector.connector {
  const connect = buildConnector(tls);
  return (options, callback) => {
    addressesOf(options.hostname, resolve)
      .then((addresses) => {
        policy.checkAddresses(options.hostname, addresses);
        const attempt = (index: number): void => {
          connect({ ...options, hostname: addresses[index] ?? "" }, (...result) => {
            const [error] = result;
            const code = (error as { code?: unknown } | null)?.code;
            if (error !== null && index + 1 < addresses.length && TRY_NEXT.has(String(code)))
              attempt(index + 1);
            else callback(...result);
          });
        };
        attempt(0);
      })
      .catch((error: unknown) =>
        callback(error instanceof Error ? error : new Error(String(error)), null),
      );
  };
}

async function addressesOf(hostname: string, resolve: HostResolver): Promise<readonly string[]> {
  if (isIP(hostname) !== 0) return [hostname];
  if (isLocalhostName(bareHost(hostname))) return LOCALHOST_ADDRESSES;
  const addresses = (await resolve(hostname)).map((found) => found.address);
  if (addresses.length === 0)
    throw Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" });
  return addresses;
}
