import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, runCli, tempDir } from "./cli-process.js";

describe("mcp-dist configuration errors", () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeAll(async () => {
    dir = await tempDir("mcp-cli-config-");
  });
  afterAll(() => dir.remove());

  /** One line on stderr, no stack trace, exit code 2. */
  function expectUsageError(
    result: { code: number; stdout: string; stderr: string },
    ...mentions: string[]
  ) {
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^mcp-dist: invalid configuration: /);
    for (const mention of mentions) expect(lines[0]).toContain(mention);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }

  it("refuses a port out of range, naming the flag and the variable", async () => {
    const result = await runCli(["start", "--gateway-port", "70000", "--data-dir", dir.path]);
    expectUsageError(result, "--gateway-port", "MCP_DIST_GATEWAY_PORT", "70000");
  });

  it("refuses a port that is not a number", async () => {
    const result = await runCli(["start", "--coordinator-port", "abc", "--data-dir", dir.path]);
    expectUsageError(result, "--coordinator-port", "MCP_DIST_COORDINATOR_PORT", '"abc"');
  });

  it("refuses a bad value from the environment, naming the variable and the flag", async () => {
    const result = await runCli(
      ["start", "--data-dir", dir.path],
      cleanEnv({ MCP_DIST_LOG_LEVEL: "loud" }),
    );
    expectUsageError(result, "--log-level", "MCP_DIST_LOG_LEVEL", "loud", '"debug"');
  });

  it("refuses an unknown enum value", async () => {
    const result = await runCli(["start", "--log-level", "verbose", "--data-dir", dir.path]);
    expectUsageError(result, "--log-level", "MCP_DIST_LOG_LEVEL", "verbose");
  });

  it("refuses an unknown agent type in --agents", async () => {
    const result = await runCli(["start", "--agents", "backend,chef", "--data-dir", dir.path]);
    expectUsageError(result, "--agents-enabled", "MCP_DIST_AGENTS_ENABLED", "chef");
  });

  it("refuses a config file that is not JSON, naming --config", async () => {
    const file = join(dir.path, "broken.json");
    await writeFile(file, "{ ports: ");
    const result = await runCli(["start", "--config", file, "--data-dir", dir.path]);
    expectUsageError(result, file, "--config", "MCP_DIST_CONFIG");
  });

  it("refuses a config file with an unknown option or a bad value", async () => {
    const unknown = join(dir.path, "unknown.json");
    await writeFile(unknown, JSON.stringify({ gatewayy: {} }));
    expectUsageError(await runCli(["start", "--config", unknown]), "gatewayy");

    const bad = join(dir.path, "bad.json");
    await writeFile(bad, JSON.stringify({ orchestrator: { maxRestarts: -1 } }));
    expectUsageError(
      await runCli(["status", "--config", bad]),
      "--orchestrator-max-restarts",
      "MCP_DIST_ORCHESTRATOR_MAX_RESTARTS",
    );
  });

  it("refuses a missing config file", async () => {
    const result = await runCli(["status", "--config", join(dir.path, "absent.json")]);
    expectUsageError(result, "absent.json", "--config");
  });

  it("treats a bad option of `run agent` as a usage error", async () => {
    const result = await runCli(["run", "agent", "--type", "chef"]);
    expectUsageError(result, "--type", "chef");
    const port = await runCli(["run", "agent", "--type", "qa", "--port", "http"]);
    expectUsageError(port, "--port", '"http"');
  });

  it("exits 2 on an unknown flag or command or none, 0 on --help", async () => {
    const unknown = await runCli(["start", "--no-such-flag"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--no-such-flag");
    expect((await runCli([])).code).toBe(2);
    expect((await runCli(["frobnicate"])).code).toBe(2);
    const help = await runCli(["start", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--coordinator-lease-ttl-ms");
    expect(help.stdout).toContain("MCP_DIST_COORDINATOR_LEASE_TTL_MS");
  });
});
