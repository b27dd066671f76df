import type { IntegrationPlugin } from "./integration.js";
import { jenkinsPlugin } from "./jenkins/index.js";

/**
 * The integrations that come with the product, in the order they are listed. Adding one is
 * adding its module here; nothing else knows about it.
 */
export const BUILT_IN_PLUGINS: readonly IntegrationPlugin[] = [jenkinsPlugin];
