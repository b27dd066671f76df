import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, runCli, tempDir } from "./cli-process.js";

describe("mcp-dist status without a running system", () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeAll(async () => {
    dir = await tempDir("mcp-cli-status-");
  });
  afterAll(() => dir.remove());

  it("says nothing runs and exits 1", async () => {
    const result = await runCli(["status", "--data-dir", dir.path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no system is running/);
    expect(result.stderr).toContain(join(dir.path, "orchestrator.json"));
  });

  it("finds the data folder through the environment too", async () => {
    const result = await runCli(["status"], cleanEnv({ MCP_DIST_DATA_DIR: dir.path }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(join(dir.path, "orchestrator.json"));
  });

  it("recognises a state file left by an orchestrator that is gone", async () => {
    // A pid far above any default pid_max, so no process has it.
    await writeFile(
      join(dir.path, "orchestrator.json"),
      JSON.stringify({
        pid: 2 ** 30,
        controlAddress: "127.0.0.1:1",
        gatewayUrl: "",
        startedAt: new Date().toISOString(),
        ready: true,
      }),
    );
    const result = await runCli(["status", "--data-dir", dir.path, "--json"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no system is running .*is gone/);
  });
});
