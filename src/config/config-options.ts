import { Kind, type TSchema } from "@sinclair/typebox";
import { ConfigSchema } from "./config-schema.js";

/** One settable leaf of the configuration, with its command-line flag and environment variable. */
export interface ConfigOption {
  /** Dotted path in the config object, e.g. "coordinator.leaseTtlMs". */
  path: string;
  /** e.g. "--lease-ttl-ms" without the dashes: "coordinator-lease-ttl-ms". */
  flag: string;
  env: string;
  schema: TSchema;
  description: string;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** ports.gateway → gateway-port; ports.agents.qa → qa-agent-port; coordinator.leaseTtlMs → coordinator-lease-ttl-ms. */
function flagFor(path: readonly string[]): string {
  if (path[0] === "ports" && path[1] === "agents" && path[2]) return `${path[2]}-agent-port`;
  if (path[0] === "ports" && path[1]) return `${kebab(path[1])}-port`;
  return path.map(kebab).join("-");
}

function collect(schema: TSchema, path: string[], out: ConfigOption[]): void {
  if (schema[Kind] === "Object") {
    const props = (schema as unknown as { properties: Record<string, TSchema> }).properties;
    for (const [key, child] of Object.entries(props)) collect(child, [...path, key], out);
    return;
  }
  // Maps (integration settings) are set in the config file only.
  if (schema[Kind] === "Record") return;
  const flag = flagFor(path);
  out.push({
    path: path.join("."),
    flag,
    env: `MCP_DIST_${flag.replace(/-/g, "_").toUpperCase()}`,
    schema,
    description: typeof schema.description === "string" ? schema.description : "",
  });
}

/** Every leaf of the configuration, in schema order. */
export const CONFIG_OPTIONS: readonly ConfigOption[] = (() => {
  const out: ConfigOption[] = [];
  collect(ConfigSchema, [], out);
  return out;
})();

/** Options that are not config leaves but shape how the config is read. */
export const META_OPTIONS = {
  config: {
    flag: "config",
    env: "MCP_DIST_CONFIG",
    description: "Path of a JSON config file (default: mcp-dist.config.json when present).",
  },
  portOffset: {
    flag: "port-offset",
    env: "MCP_DIST_PORT_OFFSET",
    description:
      "Added to every port not set explicitly, to run a second instance beside the first.",
  },
} as const;
