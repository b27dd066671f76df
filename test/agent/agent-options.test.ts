import { describe, expect, it } from "vitest";
import {
  type AgentOptions,
  agentOptionsFromConfig,
  validateAgentOptions,
} from "../../src/agent/index.js";
import { loadConfig } from "../../src/config/index.js";
import { AppError, DEFAULT_CAPABILITIES, normalizeCapabilities } from "../../src/domain/index.js";

const config = loadConfig({ base: {}, env: {}, flags: {} });

function fieldOf(attempt: () => unknown): unknown {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("invalid_argument");
    return (error as AppError).details.field;
  }
  throw new Error("expected the options to be refused");
}

describe("agentOptionsFromConfig", () => {
  it("fills every default from the configuration", () => {
    const options = agentOptionsFromConfig(config, "backend");
    expect(options).toEqual({
      id: "backend-1",
      name: "backend agent",
      type: "backend",
      host: config.host,
      port: config.ports.agents.backend,
      coordinatorAddress: `${config.host}:${config.ports.coordinator}`,
      maxConcurrency: config.agents.concurrency.backend,
      capabilities: normalizeCapabilities([...DEFAULT_CAPABILITIES.backend]),
      executors: ["command", "noop"],
      integrationAddress: `${config.host}:${config.ports.integration}`,
      commandTimeoutMs: config.agents.commandTimeoutMs,
      outputLimitBytes: config.agents.outputLimitBytes,
      shutdownGraceMs: config.agents.shutdownGraceMs,
      killGraceMs: 2_000,
    } satisfies AgentOptions);
  });

  it("applies overrides and adds extra capabilities, normalised", () => {
    const options = agentOptionsFromConfig(config, "qa", {
      id: "qa-7",
      port: 0,
      maxConcurrency: 9,
      executors: ["noop"],
      extraCapabilities: ["Load Testing", "testing"],
    });
    expect(options).toMatchObject({ id: "qa-7", port: 0, maxConcurrency: 9, executors: ["noop"] });
    expect(options.capabilities).toContain("load_testing");
    expect(options.capabilities.filter((c) => c === "testing")).toHaveLength(1);
  });

  it("replaces the capabilities when they are given", () => {
    const options = agentOptionsFromConfig(config, "devops", {
      capabilities: ["nomad"],
      extraCapabilities: ["consul"],
    });
    expect(options.capabilities).toEqual(["consul", "nomad"]);
  });

  it("gives the integration agent the integration executor too", () => {
    expect(agentOptionsFromConfig(config, "integration").executors).toEqual([
      "command",
      "noop",
      "integration",
    ]);
  });

  it("uses the configured coordinator address when set", () => {
    const remote = loadConfig({
      base: { coordinator: { address: "coord.internal:6000" } },
      env: {},
      flags: {},
    });
    expect(agentOptionsFromConfig(remote, "manager").coordinatorAddress).toBe(
      "coord.internal:6000",
    );
  });
});

describe("validateAgentOptions", () => {
  const good = agentOptionsFromConfig(config, "frontend");
  const cases: Array<[keyof AgentOptions, unknown]> = [
    ["id", ""],
    ["id", "has space"],
    ["name", "  "],
    ["type", "wizard"],
    ["host", ""],
    ["port", 70000],
    ["port", 1.5],
    ["coordinatorAddress", "no-port"],
    ["integrationAddress", "no-port"],
    ["maxConcurrency", 0],
    ["commandTimeoutMs", -1],
    ["outputLimitBytes", 0],
    ["shutdownGraceMs", Number.NaN],
    ["killGraceMs", "2s"],
    ["capabilities", ["react", ""]],
    ["executors", []],
    ["executors", ["freeform"]],
    ["executors", ["shell"]],
  ];
  it.each(cases)("refuses a bad %s (%j), naming the option", (field, value) => {
    const attempt = () => validateAgentOptions({ ...good, [field]: value });
    expect(fieldOf(attempt)).toBe(field);
    expect(attempt).toThrow(new RegExp(`agent option ${field}`));
  });

  it("refuses an unknown agent type in agentOptionsFromConfig", () => {
    expect(fieldOf(() => agentOptionsFromConfig(config, "wizard" as never))).toBe("type");
  });

  it("de-duplicates executors", () => {
    expect(
      validateAgentOptions({ ...good, executors: ["noop", "noop", "command"] }).executors,
    ).toEqual(["noop", "command"]);
  });
});
