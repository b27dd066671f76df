import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliProcess, tempDir } from "../cli/cli-process.js";
import { FakeSlackServer } from "../integrations/slack/fake-slack-server.js";
import { launchSystem, type RunningSystem, SCENARIO_TIMEOUT_MS } from "./running-system.js";

const run = promisify(execFile);

/** The reference's integration examples, quoted as they are written there. */
const SLACK_EXAMPLE = `curl -X POST http://localhost:8000/api/v1/integrations/slack \\
  -H "Content-Type: application/json" \\
  -d '{
    "operation": "send_message",
    "parameters": {
      "channel": "#development",
      "message": "Deployment completed successfully!"
    }
  }'`;

const AWS_EXAMPLE = `curl -X POST http://localhost:8000/api/v1/integrations/aws \\
  -H "Content-Type: application/json" \\
  -d '{
    "service": "ec2",
    "operation": "list_instances",
    "parameters": {}
  }'`;

/** Runs a quoted curl example against `gatewayUrl`; returns the status and the parsed body. */
async function curl(
  example: string,
  gatewayUrl: string,
): Promise<{ status: number; body: unknown }> {
  const command = example.replaceAll("http://localhost:8000", gatewayUrl);
  const { stdout } = await run("sh", ["-c", `${command} -s -w '\\n%{http_code}'`]);
  const lines = stdout.trimEnd().split("\n");
  const status = Number(lines.pop());
  return { status, body: JSON.parse(lines.join("\n")) as unknown };
}

/**
 * The reference's Slack and AWS examples, verbatim, against the real processes: Slack
 * configured (pointed at a local server speaking Slack's Web API) posts the message; AWS not
 * configured answers 503 naming the variables to set.
 */
describe("the reference's integration examples", () => {
  let dir: { path: string; remove: () => Promise<void> };
  let slack: FakeSlackServer;
  let system: RunningSystem;

  beforeAll(async () => {
    dir = await tempDir("mcp-e2e-ref-int-");
    slack = await new FakeSlackServer().start();
    system = await launchSystem(dir.path, ["--agents", "integration"], slack.env());
  }, SCENARIO_TIMEOUT_MS);

  afterAll(async () => {
    await CliProcess.killAll();
    await slack?.close();
    await dir?.remove();
  });

  it("posts the Slack message", async () => {
    const { status, body } = await curl(SLACK_EXAMPLE, system.gatewayUrl);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({
      integration: "slack",
      operation: "send_message",
      result: { channel: "C0DEVELOP1" },
      replayed: false,
    });
    const posted = slack.calls("chat.postMessage");
    expect(posted).toHaveLength(1);
    expect(posted[0]?.args).toMatchObject({
      channel: "#development",
      text: "Deployment completed successfully!",
    });
  });

  it("answers the AWS example with 503 naming what to set when AWS is not configured", async () => {
    const { status, body } = await curl(AWS_EXAMPLE, system.gatewayUrl);
    expect(status, JSON.stringify(body)).toBe(503);
    const error = (
      body as { error: { code: string; message: string; details: { missing: string[] } } }
    ).error;
    expect(error.code).toBe("unavailable");
    expect(error.message).toMatch(/^aws is not configured: set AWS_REGION/);
    expect(error.details.missing).toEqual(
      expect.arrayContaining(["AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]),
    );
  });

  it("lists Slack as healthy and the others as not configured", async () => {
    const response = await fetch(`${system.gatewayUrl}/api/v1/integrations`);
    const { integrations } = (await response.json()) as {
      integrations: Array<{ name: string; state: string }>;
    };
    const states = Object.fromEntries(integrations.map((i) => [i.name, i.state]));
    expect(states.slack).toBe("healthy");
    expect(states.youtrack).toBe("not_configured");
  });
});
