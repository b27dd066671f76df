import type { Config } from "../config/index.js";

/** The variable through which a child receives its resolved configuration. */
export const CHILD_CONFIG_ENV = "MCP_DIST_CONFIG_JSON";

/**
 * A child's environment: ours, minus every MCP_DIST_* variable (already folded into the
 * resolved config; applied again by the child they would override it, a port offset twice),
 * plus the resolved config.
 */
export function childEnv(config: Config): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!key.startsWith("MCP_DIST_")) env[key] = value;
  env[CHILD_CONFIG_ENV] = JSON.stringify(config);
  return env;
}
