import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { IntegrationServiceClient } from "../../src/gen/mcp/v1/integration.js";
import { isChildMessage, type ChildMessage } from "../../src/lifecycle/index.js";
import { checkGrpcHealth, CLIENT_OPTIONS, insecure, promiseClient } from "../../src/rpc/index.js";
import { CLI, CliProcess, cleanEnv } from "./cli-process.js";

afterEach(() => CliProcess.killAll());

describe("mcp-dist run integration", () => {
  it("serves health and ListIntegrations, logs JSON tagged with its name, and stops on SIGTERM with 0", async () => {
    const proc = new CliProcess([
      "run",
      "integration",
      "--integration-port",
      "0",
      "--log-level",
      "debug",
    ]);
    const readyLine = await proc.waitForOutput(/"msg":"integration ready on port \d+"/);
    const ready = JSON.parse(readyLine) as { name: string; port: number; level: string };
    expect(ready.name).toBe("integration");
    expect(ready.level).toBe("info");
    const address = `127.0.0.1:${ready.port}`;
    // The start says what is on and what to set for the rest.
    const listening = JSON.parse(
      await proc.waitForOutput(/"msg":"integration service listening"/),
    ) as { configured: string[]; notConfigured: Record<string, string[]> };
    expect(listening.configured).toEqual(["http"]);
    expect(listening.notConfigured.slack).toEqual(["SLACK_BOT_TOKEN"]);

    expect(await checkGrpcHealth(address)).toBe(true);
    const client = new IntegrationServiceClient(address, insecure(), CLIENT_OPTIONS);
    try {
      const response = await promiseClient(client, 5_000).listIntegrations({});
      // The built-in integrations, none configured in this environment.
      expect(response.integrations.map((i) => [i.name, i.state])).toEqual(
        ["slack", "github", "aws", "jenkins", "youtrack"]
          .map((name) => [name, "not_configured"])
          .concat([["http", "healthy"]]),
      );
    } finally {
      client.close();
    }

    proc.child.kill("SIGTERM");
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(proc.stdout).toMatch(/"msg":"integration closed; exiting"/);
    expect(await checkGrpcHealth(address, 500)).toBe(false);
  });

  it("tells a parent over IPC that it is ready, with the port it really bound", async () => {
    const child = spawn(process.execPath, [CLI, "run", "integration", "--integration-port", "0"], {
      stdio: ["ignore", "ignore", "ignore", "ipc"],
      env: cleanEnv(),
    });
    try {
      const message = await new Promise<ChildMessage>((resolve, reject) => {
        child.on("message", (m: unknown) =>
          isChildMessage(m) ? resolve(m) : reject(new Error(`unexpected ${JSON.stringify(m)}`)),
        );
        child.on("exit", (code) => reject(new Error(`exited with ${code}`)));
      });
      expect(message.type).toBe("ready");
      if (message.type !== "ready") return;
      expect(message.port).toBeGreaterThan(0);
      expect(await checkGrpcHealth(`127.0.0.1:${message.port}`)).toBe(true);

      // The parent going away (its IPC channel closing) stops the child: no orphans.
      const exited = new Promise<number | null>((resolve) =>
        child.on("exit", (code) => resolve(code)),
      );
      child.disconnect();
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("takes its config from MCP_DIST_CONFIG_JSON under an orchestrator, and reports a bad one over IPC (exit 2)", async () => {
    const child = spawn(process.execPath, [CLI, "run", "integration"], {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      env: cleanEnv({ MCP_DIST_CONFIG_JSON: JSON.stringify({ ports: { integration: 70000 } }) }),
    });
    try {
      let stderr = "";
      child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const messages: ChildMessage[] = [];
      child.on("message", (m: unknown) => {
        if (isChildMessage(m)) messages.push(m);
      });
      const code = await new Promise<number | null>((resolve) =>
        child.on("exit", (c) => resolve(c)),
      );
      expect(code).toBe(2);
      expect(messages).toEqual([
        { type: "failed", message: expect.stringContaining("--integration-port") as string },
      ]);
      expect(stderr).toContain("70000");
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("reports a failed start over IPC and exits 1", async () => {
    // Holds a port so the service cannot bind it.
    const blocker = new CliProcess(["run", "integration", "--integration-port", "0"]);
    const port = (
      JSON.parse(await blocker.waitForOutput(/integration ready on port/)) as { port: number }
    ).port;

    const child = spawn(
      process.execPath,
      [CLI, "run", "integration", "--integration-port", String(port)],
      {
        stdio: ["ignore", "pipe", "ignore", "ipc"],
        env: cleanEnv(),
      },
    );
    try {
      const messages: ChildMessage[] = [];
      child.on("message", (m: unknown) => {
        if (isChildMessage(m)) messages.push(m);
      });
      const code = await new Promise<number | null>((resolve) =>
        child.on("exit", (c) => resolve(c)),
      );
      expect(code).toBe(1);
      expect(messages).toHaveLength(1);
      expect(messages[0]?.type).toBe("failed");
      expect(messages[0]?.type === "failed" && messages[0].message).toContain(String(port));
    } finally {
      child.kill("SIGKILL");
    }
  });
});
