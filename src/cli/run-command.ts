import type { Command } from "commander";
import type { AgentOptionOverrides } from "../agent/index.js";
import { AGENT_TYPES, type AgentType, AppError, isAgentType } from "../domain/index.js";
import { reportFailure } from "./cli-failure.js";
import { addConfigFlags } from "./config-flags.js";
import { loadCliConfig } from "./load-cli-config.js";
import { type ComponentStarter, runComponent } from "./run-component.js";

/**
 * The components `run` knows. Each is imported only when run, so that a child process loads
 * its own component's code (and native modules) and not everyone else's.
 */
const SERVICES: ReadonlyArray<{ name: string; description: string; start: ComponentStarter }> = [
  {
    name: "coordinator",
    description: "Run the coordinator (task state, scheduling) alone.",
    start: async (config, logger) =>
      (await import("../coordinator/index.js")).startCoordinator(config, logger),
  },
  {
    name: "integration",
    description: "Run the integration service alone.",
    start: async (config, logger) =>
      (await import("../integrations/index.js")).startIntegrationService(config, logger),
  },
  {
    name: "gateway",
    description: "Run the REST gateway alone.",
    start: async (config, logger) =>
      (await import("../gateway/index.js")).startGateway(config, logger),
  },
];

interface AgentFlags {
  type?: string;
  id?: string;
  port?: string;
  concurrency?: string;
  capabilities?: string;
  coordinator?: string;
}

/** `mcp-dist run <component>`: one component in the foreground (how the orchestrator starts its children). */
export function addRunCommand(program: Command): void {
  const run = program.command("run").description("Run one component alone in the foreground.");
  for (const service of SERVICES) {
    addConfigFlags(run.command(service.name).description(service.description)).action(
      (_options, command: Command) =>
        runComponent(service.name, () => loadCliConfig(command, { inherit: true }), service.start),
    );
  }
  const agent = run
    .command("agent")
    .description("Run one agent, e.g. on another host pointed at a remote coordinator.")
    .requiredOption("--type <type>", `Agent type: ${AGENT_TYPES.join(", ")}.`)
    .option(
      "--id <id>",
      "Id it registers under (default <type>-1); a restart with the same id takes back its tasks.",
    )
    .option("--port <n>", "Port of its AgentService (default from the config; 0 picks a free one).")
    .option("--concurrency <n>", "Tasks it runs at once (default from the config).")
    .option("--capabilities <list>", "Comma-separated capabilities, replacing the type's defaults.")
    .option("--coordinator <host:port>", "Coordinator to dial (default from the config).");
  addConfigFlags(agent).action(async (flags: AgentFlags, command: Command) => {
    let type: AgentType;
    let overrides: AgentOptionOverrides;
    try {
      type = agentType(flags.type);
      overrides = agentOverrides(flags);
    } catch (error) {
      // Exit now: under an orchestrator the open IPC channel would keep this process alive.
      process.exit(reportFailure(error).exitCode);
    }
    await runComponent(
      `agent-${type}`,
      () => loadCliConfig(command, { inherit: true }),
      (config, logger) =>
        import("../agent/index.js").then(({ agentOptionsFromConfig, startAgent }) =>
          startAgent(agentOptionsFromConfig(config, type, overrides), logger),
        ),
    );
  });
}

function agentType(raw: string | undefined): AgentType {
  if (!isAgentType(raw))
    throw AppError.invalidArgument(
      "type",
      `--type must be one of ${AGENT_TYPES.join(", ")}, got ${JSON.stringify(raw)}`,
    );
  return raw;
}

function agentOverrides(flags: AgentFlags): AgentOptionOverrides {
  const overrides: AgentOptionOverrides = {};
  if (flags.id !== undefined) overrides.id = flags.id;
  if (flags.port !== undefined) overrides.port = integerFlag("port", flags.port, 0, 65535);
  if (flags.concurrency !== undefined)
    overrides.maxConcurrency = integerFlag("concurrency", flags.concurrency, 1, 1000);
  if (flags.capabilities !== undefined)
    overrides.capabilities = flags.capabilities
      .split(",")
      .map((c) => c.trim())
      .filter((c) => c !== "");
  if (flags.coordinator !== undefined) overrides.coordinatorAddress = flags.coordinator;
  return overrides;
}

function integerFlag(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw AppError.invalidArgument(
      name,
      `--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}
