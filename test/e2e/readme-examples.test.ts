import { execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliProcess, eventually } from "../cli/cli-process.js";
import { tempDir } from "../helpers/temp-dir.js";
import { FakeSlackServer } from "../integrations/slack/fake-slack-server.js";
import { RestClient } from "./rest-client.js";
import { launchSystem, type RunningSystem, SCENARIO_TIMEOUT_MS } from "./running-system.js";

const run = promisify(execFile);

/**
 * Every curl command in the README's bash blocks, in order: a command runs on over lines that
 * end in a backslash and over single-quoted text (the JSON bodies); comment lines are skipped.
 */
function readmeCurls(): string[] {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const commands: string[] = [];
  for (const match of readme.matchAll(/```bash\n([\s\S]*?)```/g)) {
    let current = "";
    let joinWith = "";
    for (const line of (match[1] as string).split("\n")) {
      if (current === "" && (line.trim() === "" || line.trim().startsWith("#"))) continue;
      current +=
        current === "" ? line.trim() : `${joinWith}${joinWith === " " ? line.trim() : line}`;
      joinWith = "\n";
      const openQuote = (current.match(/'/g) ?? []).length % 2 === 1;
      if (openQuote) continue;
      if (current.endsWith("\\")) {
        current = current.slice(0, -1).trimEnd();
        joinWith = " ";
        continue;
      }
      commands.push(current);
      current = "";
    }
  }
  return commands.filter((c) => c.startsWith("curl "));
}

/** The README's JavaScript example of the live event stream. */
function readmeEventExample(): string {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const example = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
  if (example === undefined) throw new Error("the README has no js example");
  return example;
}

let system: RunningSystem;
let dir: ReturnType<typeof tempDir>;
/** Slack is configured, pointed at a local server speaking its Web API. */
let slack: FakeSlackServer;

beforeAll(async () => {
  dir = tempDir("mcp-readme-");
  slack = await new FakeSlackServer().start();
  system = await launchSystem(dir.path, [], slack.env());
}, SCENARIO_TIMEOUT_MS);

afterAll(async () => {
  await CliProcess.killAll();
  await slack?.close();
  dir.remove();
});

describe("the README's examples", () => {
  it(
    "all work, in order, against a running system (placeholders filled from earlier answers)",
    async () => {
      const curls = readmeCurls();
      expect(curls.length).toBeGreaterThanOrEqual(9);
      const values: Record<string, string> = {};
      const answers: Array<{ command: string; status: number; body: unknown }> = [];
      for (const curl of curls) {
        const command = curl
          .replaceAll("http://localhost:8000", system.gatewayUrl)
          .replace(/\b(AGENT_ID|TASK_ID|TOKEN)\b/g, (name) => values[name] ?? name);
        // The README shows shell commands; the test runs them as a reader would paste them.
        const { stdout } = await run("sh", ["-c", `${command} -s -w '\\n%{http_code}'`]);
        const lines = stdout.trimEnd().split("\n");
        const status = Number(lines.pop());
        const text = lines.join("\n");
        const body: unknown = text === "" ? null : JSON.parse(text);
        answers.push({ command, status, body });
        expect(status, `${command}\n${text}`).toBeGreaterThanOrEqual(200);
        expect(status, `${command}\n${text}`).toBeLessThan(300);
        const json = body as {
          agent?: { id: string };
          task?: { id: string };
          lease?: { token: string };
        };
        if (json?.agent?.id) values.AGENT_ID = json.agent.id;
        if (json?.task?.id && json.lease?.token) {
          values.TASK_ID = json.task.id;
          values.TOKEN = json.lease.token;
        }
      }
      const project = answers[0]?.body as { template: string; tasks: Array<{ title: string }> };
      expect(project.template).toBe("web_application");
      // Eight steps, and with Slack configured a ninth announces the finished project.
      expect(project.tasks).toHaveLength(9);
      expect(project.tasks.at(-1)?.title).toBe("Announce that E-Commerce Platform is complete");
      const integrations = answers.find((a) => a.command.endsWith("/api/v1/integrations"))
        ?.body as { integrations: Array<{ name: string; state: string }> };
      expect(integrations.integrations.find((i) => i.name === "slack")?.state).toBe("healthy");
      const posted = answers.find((a) => a.command.includes("/api/v1/integrations/slack"))?.body;
      expect(posted).toMatchObject({ result: { channel: "C0DEVELOP1" }, replayed: false });
      const completed = answers.find((a) => a.command.includes("/complete"))?.body as {
        status: string;
        title: string;
      };
      expect(completed.status).toBe("completed");
      expect(completed.title).toBe("Implement user authentication");
      const published = answers.find(
        (a) => a.command.includes("POST http://") && a.command.includes("/api/v1/knowledge"),
      )?.body as { id: string; version: number };
      expect(published.version).toBe(1);
      const found = answers.find((a) => a.command.includes("/api/v1/knowledge?"))?.body as {
        results: Array<{ entry: { id: string }; snippet: string }>;
      };
      expect(found.results.map((r) => r.entry.id)).toEqual([published.id]);
      const broadcast = answers.find((a) => a.command.includes('"everyone"'))?.body as {
        recipients: string[];
      };
      for (const type of [
        "manager",
        "frontend",
        "backend",
        "database",
        "devops",
        "integration",
        "qa",
      ])
        expect(broadcast.recipients).toContain(`${type}-1`);
      const status = answers.find((a) => a.command.includes("/messages/requests"))?.body as {
        response: { sender: string; body: { type: string; running: number } };
      };
      expect(status.response.sender).toBe("backend-1");
      expect(status.response.body.type).toBe("backend");
      const commandTask = answers.find((a) => a.command.includes('"argv"'))?.body as { id: string };
      const deadline = Date.now() + 20_000;
      let finished: { status: string; result: { output: { stdout: string } } | null } | undefined;
      while (Date.now() < deadline) {
        const response = await fetch(`${system.gatewayUrl}/api/v1/tasks/${commandTask.id}`);
        finished = (await response.json()) as typeof finished;
        if (finished?.status === "completed") break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(finished?.status).toBe("completed");
      expect(finished?.result?.output.stdout).toBe(`${process.version}\n`);
      const announce = answers.find((a) => a.command.includes('"kind": "integration"'))?.body as {
        id: string;
      };
      const rest = new RestClient(system.gatewayUrl);
      const announced = await rest.waitForTask(
        announce.id,
        (t) => t.status === "completed",
        "done",
      );
      expect(announced.agent_id).toBe("integration-1");
      expect(slack.calls("chat.postMessage").map((c) => c.args.text)).toEqual([
        "Deployment completed successfully!",
        "v1.2 is live",
      ]);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it("include a live event client that prints a task's transitions as they happen", async () => {
    const code = readmeEventExample().replaceAll(
      "ws://localhost:8000",
      system.gatewayUrl.replace(/^http/, "ws"),
    );
    // Run as the README says, from the checkout, where the ws package resolves.
    const child = spawn(process.execPath, ["--input-type=module", "-e", code], {
      cwd: new URL("../..", import.meta.url),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    try {
      await eventually(
        async () => (output.includes(" subscribed ") ? true : undefined),
        `the subscribed notice; output so far: ${output}`,
        20_000,
      );
      const response = await fetch(`${system.gatewayUrl}/api/v1/tasks`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          title: "Watched",
          type: "devops",
          action: { kind: "command", argv: ["node", "--version"] },
        }),
      });
      const { id } = (await response.json()) as { id: string };
      const linesOfTask = () =>
        output.split("\n").filter((line) => line.includes(` task.transition ${id} `));
      await eventually(
        async () =>
          linesOfTask().some((line) => line.includes('"to":"completed"')) ? true : undefined,
        "the task's completion in the example's output",
        20_000,
      );
      const lines = linesOfTask();
      expect(lines.map((line) => /"to":"(\w+)"/.exec(line)?.[1])).toEqual([
        "pending",
        "assigned",
        "in_progress",
        "completed",
      ]);
    } finally {
      child.kill();
    }
  });

  it("leave their traces in /metrics: tasks by status, dispatch latency, agent load, every process's CPU and memory", async () => {
    const text = await (await fetch(`${system.gatewayUrl}/metrics`)).text();
    expect(text).toMatch(/^mcp_tasks\{status="completed"\} [1-9]/m);
    expect(text).toMatch(/^mcp_task_dispatch_seconds_count [1-9]/m);
    expect(text).toMatch(/^mcp_agent_load\{agent="backend-1",type="backend",state="online"\} \d/m);
    for (const process of ["orchestrator", "coordinator", "agent-backend", "gateway"]) {
      expect(text).toMatch(
        new RegExp(
          `^mcp_process_resident_memory_bytes\\{process="${process}",component="\\w+"\\} [1-9]`,
          "m",
        ),
      );
      expect(text).toMatch(new RegExp(`^mcp_process_cpu_percent\\{process="${process}",`, "m"));
    }
  });

  it("show in the system status: every process and the integration list", async () => {
    const status = (await (await fetch(`${system.gatewayUrl}/api/v1/system/status`)).json()) as {
      processes?: Array<{ name: string; state: string }>;
      integrations?: Array<{ name: string; state: string }>;
      coordinator: { agents: { online: number } };
    };
    expect(status.processes?.map((p) => p.name).sort()).toEqual(
      [
        "agent-backend",
        "agent-database",
        "agent-devops",
        "agent-frontend",
        "agent-integration",
        "agent-manager",
        "agent-qa",
        "coordinator",
        "gateway",
        "integration",
        "orchestrator",
      ].sort(),
    );
    expect(status.processes?.every((p) => p.state === "healthy")).toBe(true);
    const states = Object.fromEntries((status.integrations ?? []).map((i) => [i.name, i.state]));
    expect(states.slack).toBe("healthy");
    expect(states.youtrack).toBe("not_configured");
    expect(status.coordinator.agents.online).toBeGreaterThanOrEqual(7);
  });
});
