import { Agent, type Dispatcher } from "undici";
import type { PluginContext } from "../integration.js";
import { createGuardedConnector } from "./guarded-connector.js";
import { type HostResolver, systemResolver } from "./host-resolver.js";
import { createNetworkPolicy, type NetworkPolicy } from "./network-policy.js";

/** Internal options of the HTTP client (not settings: tests use them). */
export interface HttpClientOptions {
  /** Resolves host names at connect time. Default: the system resolver. */
  resolve?: HostResolver;
  /** Certificate authorities trusted instead of Node's bundled ones (a test's own CA). */
  ca?: string;
}

/** What the operations of the HTTP integration use. */
export interface HttpClient {
  readonly policy: NetworkPolicy;
  /** Opens every connection through the policy. */
  readonly dispatcher: Dispatcher;
}

/**
 * The client of the HTTP integration: the policy from the configuration and an undici agent
 * whose connections are checked against it. undici's own timeouts are off (the call's
 * deadline, through its signal, bounds every request) and it follows no redirect itself.
 */
export function createHttpClient(
  context: PluginContext,
  options: HttpClientOptions = {},
): HttpClient {
  const policy = createNetworkPolicy({
    allowPrivateNetworks: context.allowPrivateNetworks,
    allowedHosts: context.allowedHosts,
  });
  const dispatcher = new Agent({
    connect: createGuardedConnector(
      policy,
      options.resolve ?? systemResolver,
      options.ca === undefined ? {} : { ca: options.ca },
    ),
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  return { policy, dispatcher };
}
