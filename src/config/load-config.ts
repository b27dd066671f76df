import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Kind, type TSchema } from "@sinclair/typebox";
import { Value, type ValueError } from "@sinclair/typebox/value";
import { AppError, isJsonObject, type JsonObject } from "../domain/index.js";
import { CONFIG_OPTIONS, type ConfigOption, META_OPTIONS } from "./config-options.js";
import { type Config, ConfigSchema } from "./config-schema.js";

/** Where configuration comes from, lowest precedence first: defaults, file, environment, flags. */
export interface ConfigSources {
  /** Parsed command-line flags by flag name without dashes (e.g. "gateway-port"). */
  flags?: Readonly<Record<string, string | undefined>>;
  env?: Readonly<Record<string, string | undefined>>;
  /** Resolves relative paths; defaults to process.cwd(). */
  cwd?: string;
  /** A config object to start from instead of a file (what a parent process passes down). */
  base?: unknown;
}

export const DEFAULT_CONFIG_FILE = "mcp-dist.config.json";

/**
 * Reads, merges and validates the configuration. Throws an `invalid_argument` AppError whose
 * message names the offending option, its flag and its environment variable.
 */
export function loadConfig(sources: ConfigSources = {}): Config {
  const flags = sources.flags ?? {};
  const env = sources.env ?? {};
  const cwd = sources.cwd ?? process.cwd();

  const merged: JsonObject =
    sources.base !== undefined
      ? structuredClone(asObject(sources.base, "base config"))
      : readFile(flags, env, cwd);
  const explicitPorts = new Set<string>();
  for (const option of CONFIG_OPTIONS) {
    const fromEnv = env[option.env];
    const fromFlag = flags[option.flag];
    const raw = fromFlag ?? fromEnv;
    if (raw === undefined) {
      if (option.path.startsWith("ports.") && getPath(merged, option.path) !== undefined)
        explicitPorts.add(option.path);
      continue;
    }
    const source = fromFlag !== undefined ? `--${option.flag}` : option.env;
    setPath(merged, option.path, coerce(option, raw, source));
    if (option.path.startsWith("ports.")) explicitPorts.add(option.path);
  }

  const config = validate(merged);
  const offsetRaw = flags[META_OPTIONS.portOffset.flag] ?? env[META_OPTIONS.portOffset.env];
  if (offsetRaw !== undefined) applyPortOffset(config, explicitPorts, parseOffset(offsetRaw));
  config.dataDir = resolve(cwd, config.dataDir);
  config.logDir = resolve(cwd, config.logDir);
  return config;
}

/** The coordinator's address as other processes dial it. */
export function coordinatorAddress(config: Config): string {
  return config.coordinator.address !== ""
    ? config.coordinator.address
    : `${config.host}:${config.ports.coordinator}`;
}

function readFile(
  flags: ConfigSources["flags"] & object,
  env: ConfigSources["env"] & object,
  cwd: string,
): JsonObject {
  const explicit = flags[META_OPTIONS.config.flag] ?? env[META_OPTIONS.config.env];
  const path = resolve(cwd, explicit ?? DEFAULT_CONFIG_FILE);
  if (explicit === undefined && !existsSync(path)) return {};
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw AppError.invalidArgument(
      "config",
      `config file ${path} cannot be read: ${(error as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw AppError.invalidArgument(
      "config",
      `config file ${path} is not valid JSON: ${(error as Error).message}`,
    );
  }
  return asObject(parsed, `config file ${path}`);
}

function asObject(value: unknown, what: string): JsonObject {
  if (!isJsonObject(value))
    throw AppError.invalidArgument("config", `${what} must be a JSON object`);
  return value;
}

function coerce(option: ConfigOption, raw: string, source: string): unknown {
  const schema = option.schema;
  const kind = schema[Kind];
  if (kind === "Integer" || kind === "Number") {
    const trimmed = raw.trim();
    if (!/^-?\d+(\.\d+)?$/.test(trimmed)) {
      throw AppError.invalidArgument(
        option.path,
        `${source} must be a number, got ${JSON.stringify(raw)}`,
      );
    }
    return Number(trimmed);
  }
  if (kind === "Array")
    return raw
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  if (kind === "Boolean") {
    if (raw === "true" || raw === "1") return true;
    if (raw === "false" || raw === "0") return false;
    throw AppError.invalidArgument(
      option.path,
      `${source} must be true or false, got ${JSON.stringify(raw)}`,
    );
  }
  return raw;
}

function validate(merged: JsonObject): Config {
  const withDefaults = Value.Default(ConfigSchema, structuredClone(merged));
  const first = Value.Errors(ConfigSchema, withDefaults).First();
  if (first !== undefined) throw describeError(first);
  return withDefaults as Config;
}

function describeError(error: ValueError): AppError {
  const path = error.path
    .replace(/^\//, "")
    .split("/")
    .filter((p) => p !== "")
    .join(".");
  const option = CONFIG_OPTIONS.find((o) => o.path === path || path.startsWith(`${o.path}.`));
  const where = option ? `${path} (--${option.flag}, ${option.env})` : path || "config";
  const got = JSON.stringify(error.value);
  const expected = describeExpected(error.schema);
  const message =
    error.message === "Unexpected property"
      ? `${path} is not a known option`
      : `${where} must be ${expected}, got ${got}`;
  return AppError.invalidArgument(path || "config", message);
}

function describeExpected(schema: TSchema): string {
  const kind = schema[Kind];
  if (kind === "Union") {
    const values = (schema.anyOf as TSchema[]).map((s) => JSON.stringify(s.const));
    return `one of ${values.join(", ")}`;
  }
  if (kind === "Integer" || kind === "Number") {
    const min = schema.minimum as number | undefined;
    const max = schema.maximum as number | undefined;
    const noun = kind === "Integer" ? "an integer" : "a number";
    if (min !== undefined && max !== undefined) return `${noun} from ${min} to ${max}`;
    return noun;
  }
  if (kind === "String") return schema.minLength ? "a non-empty string" : "a string";
  if (kind === "Array") return "a list";
  if (kind === "Object") return "an object";
  return String(kind).toLowerCase();
}

function parseOffset(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 60000) {
    throw AppError.invalidArgument(
      "portOffset",
      `--port-offset must be an integer from 0 to 60000, got ${JSON.stringify(raw)}`,
    );
  }
  return n;
}

function applyPortOffset(config: Config, explicit: ReadonlySet<string>, offset: number): void {
  const bump = (path: string, value: number) => {
    if (explicit.has(path) || value === 0) return value;
    const next = value + offset;
    if (next > 65535)
      throw AppError.invalidArgument(path, `--port-offset ${offset} takes ${path} past 65535`);
    return next;
  };
  const ports = config.ports;
  ports.gateway = bump("ports.gateway", ports.gateway);
  ports.coordinator = bump("ports.coordinator", ports.coordinator);
  ports.integration = bump("ports.integration", ports.integration);
  ports.orchestrator = bump("ports.orchestrator", ports.orchestrator);
  for (const type of Object.keys(ports.agents) as (keyof typeof ports.agents)[]) {
    ports.agents[type] = bump(`ports.agents.${type}`, ports.agents[type]);
  }
}

function getPath(obj: JsonObject, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split(".")) {
    if (!isJsonObject(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

function setPath(obj: JsonObject, path: string, value: unknown): void {
  const parts = path.split(".");
  let cur: JsonObject = obj;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    if (!isJsonObject(next)) cur[part] = {};
    cur = cur[part] as JsonObject;
  }
  cur[parts[parts.length - 1] as string] = value as JsonObject[string];
}
