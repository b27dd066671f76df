import { type Config, coordinatorAddress } from "../config/index.js";
import {
  AGENT_TYPES,
  type AgentType,
  AppError,
  DEFAULT_CAPABILITIES,
  type ExecutorKind,
  isAgentType,
  isExecutorKind,
  normalizeCapabilities,
  normalizeCapability,
} from "../domain/index.js";
import { BUILT_IN_EXECUTOR_KINDS } from "./executors/index.js";

/** Everything an agent process needs; {@link agentOptionsFromConfig} fills the defaults. */
export interface AgentOptions {
  /** Stable id the agent registers under, so a restart takes back its identity. Default `${type}-1`. */
  id: string;
  /** Display name. Default `${type} agent`. */
  name: string;
  /** Which specialised agent this is. No default: always given. */
  type: AgentType;
  /** Address its AgentService binds to. Default `config.host`. */
  host: string;
  /** Port of its AgentService; 0 picks a free one. Default `config.ports.agents[type]`. */
  port: number;
  /** host:port of the coordinator it dials. Default `coordinatorAddress(config)`. */
  coordinatorAddress: string;
  /** Tasks run at once. Default `config.agents.concurrency[type]`. */
  maxConcurrency: number;
  /** What it knows; normalised when validated. Default `DEFAULT_CAPABILITIES[type]` plus `extraCapabilities`. */
  capabilities: string[];
  /** Kinds of action it executes; each must be built in. Default `["command", "noop"]`. */
  executors: ExecutorKind[];
  /** host:port of the integration service, for the `integration` executor. Default `config.host:config.ports.integration`. */
  integrationAddress: string;
  /** Timeout of a command task that sets none. Default `config.agents.commandTimeoutMs`. */
  commandTimeoutMs: number;
  /** stdout and stderr kept per command, each. Default `config.agents.outputLimitBytes`. */
  outputLimitBytes: number;
  /** How long close() lets running tasks finish before handing them back. Default `config.agents.shutdownGraceMs`. */
  shutdownGraceMs: number;
  /** Between SIGTERM and SIGKILL of an aborted command's process group. Default 2000. */
  killGraceMs: number;
}

/** Overrides accepted by {@link agentOptionsFromConfig}: any option, plus capabilities to add. */
export type AgentOptionOverrides = Partial<AgentOptions> & {
  /** Added to `capabilities` (or to the type's defaults). Default none. */
  extraCapabilities?: string[];
};

export const DEFAULT_AGENT_EXECUTORS: readonly ExecutorKind[] = ["command", "noop"];

/** The integration agent also calls the integration service. */
const EXECUTORS_OF_TYPE: Partial<Record<AgentType, readonly ExecutorKind[]>> = {
  integration: [...DEFAULT_AGENT_EXECUTORS, "integration"],
};

/** Resolves an agent's options from the configuration, applies overrides, and validates them. */
export function agentOptionsFromConfig(
  config: Config,
  type: AgentType,
  overrides: AgentOptionOverrides = {},
): AgentOptions {
  if (!isAgentType(type)) {
    throw AppError.invalidArgument(
      "type",
      `agent option type must be one of ${AGENT_TYPES.join(", ")}, got ${JSON.stringify(type)}`,
    );
  }
  const { extraCapabilities = [], ...given } = overrides;
  const capabilities = given.capabilities ?? [...DEFAULT_CAPABILITIES[type]];
  return validateAgentOptions({
    id: `${type}-1`,
    name: `${type} agent`,
    type,
    host: config.host,
    port: config.ports.agents[type],
    coordinatorAddress: coordinatorAddress(config),
    maxConcurrency: config.agents.concurrency[type],
    executors: [...(EXECUTORS_OF_TYPE[type] ?? DEFAULT_AGENT_EXECUTORS)],
    integrationAddress: `${config.host}:${config.ports.integration}`,
    commandTimeoutMs: config.agents.commandTimeoutMs,
    outputLimitBytes: config.agents.outputLimitBytes,
    shutdownGraceMs: config.agents.shutdownGraceMs,
    killGraceMs: 2_000,
    ...given,
    capabilities: [...capabilities, ...extraCapabilities],
  });
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Checks every option and returns a normalised copy (capabilities normalised, executors
 * de-duplicated). Throws an `invalid_argument` AppError naming the first bad option.
 */
export function validateAgentOptions(options: AgentOptions): AgentOptions {
  const bad = (field: keyof AgentOptions, expected: string, got: unknown) =>
    AppError.invalidArgument(
      field,
      `agent option ${field} must be ${expected}, got ${JSON.stringify(got)}`,
    );

  if (typeof options.id !== "string" || !ID_PATTERN.test(options.id)) {
    throw bad(
      "id",
      "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
      options.id,
    );
  }
  if (typeof options.name !== "string" || options.name.trim() === "")
    throw bad("name", "a non-empty string", options.name);
  if (!isAgentType(options.type))
    throw bad("type", `one of ${AGENT_TYPES.join(", ")}`, options.type);
  if (typeof options.host !== "string" || options.host === "")
    throw bad("host", "a non-empty host name or address", options.host);
  integer("port", options.port, 0, 65535);
  if (
    typeof options.coordinatorAddress !== "string" ||
    !/^.+:\d{1,5}$/.test(options.coordinatorAddress)
  ) {
    throw bad("coordinatorAddress", "host:port", options.coordinatorAddress);
  }
  if (
    typeof options.integrationAddress !== "string" ||
    !/^.+:\d{1,5}$/.test(options.integrationAddress)
  ) {
    throw bad("integrationAddress", "host:port", options.integrationAddress);
  }
  integer("maxConcurrency", options.maxConcurrency, 1, 1000);
  integer("commandTimeoutMs", options.commandTimeoutMs, 1, 86_400_000);
  integer("outputLimitBytes", options.outputLimitBytes, 1, 64 * 1024 * 1024);
  integer("shutdownGraceMs", options.shutdownGraceMs, 0, 86_400_000);
  integer("killGraceMs", options.killGraceMs, 0, 600_000);

  if (
    !Array.isArray(options.capabilities) ||
    options.capabilities.some((c) => typeof c !== "string")
  ) {
    throw bad("capabilities", "a list of strings", options.capabilities);
  }
  if (options.capabilities.some((c) => normalizeCapability(c) === "")) {
    throw bad("capabilities", "a list of non-empty strings", options.capabilities);
  }
  const capabilities = normalizeCapabilities(options.capabilities);

  if (!Array.isArray(options.executors) || options.executors.length === 0) {
    throw bad(
      "executors",
      `a non-empty list of ${BUILT_IN_EXECUTOR_KINDS.join(", ")}`,
      options.executors,
    );
  }
  for (const kind of options.executors) {
    if (!isExecutorKind(kind) || !BUILT_IN_EXECUTOR_KINDS.includes(kind)) {
      throw bad(
        "executors",
        `a list of built-in executors (${BUILT_IN_EXECUTOR_KINDS.join(", ")})`,
        options.executors,
      );
    }
  }
  return {
    ...options,
    name: options.name.trim(),
    capabilities,
    executors: [...new Set(options.executors)],
  };
}

function integer(field: keyof AgentOptions, value: unknown, min: number, max: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw AppError.invalidArgument(
      field,
      `agent option ${field} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
}
