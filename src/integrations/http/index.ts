export { createHttpPlugin, httpPlugin } from "./plugin.js";
export type { HttpClientOptions } from "./client.js";
export type { HostResolver, ResolvedAddress } from "./host-resolver.js";
