import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProjectDetailJson } from "../../src/gateway/schemas/project-schemas.js";
import { CliProcess, eventually, tempDir } from "../cli/cli-process.js";
import { FakeAwsServer } from "../integrations/aws/fake-aws-server.js";
import { FakeGitHubServer } from "../integrations/github/fake-github-server.js";
import { FakeJenkinsServer } from "../integrations/jenkins/fake-jenkins-server.js";
import { FakeSlackServer } from "../integrations/slack/fake-slack-server.js";
import { FakeYouTrackServer } from "../integrations/youtrack/fake-youtrack-server.js";
import { RestClient } from "./rest-client.js";
import { RestWorker } from "./rest-worker.js";
import { launchSystem, type RunningSystem, SCENARIO_TIMEOUT_MS } from "./running-system.js";

/** One canary per secret setting: none may show up anywhere but at the fake servers. */
const CANARIES = {
  slack: "xoxb-canary-slack-5d1f9a7c",
  github: "ghp_canaryGithub8e2b4c61",
  awsKeyId: "AKIACANARYAWS4F7E2B91",
  awsSecret: "canary/aws+secret/3c9e8d1f7a6b5c4d",
  jenkins: "canary-jenkins-11e4a9b7c2",
  youtrack: "perm:canary-youtrack.6b2e9f1d",
};
const JENKINS_USER = "deployer";
/** Basic authentication as Jenkins receives it: a spelling of the token the logs must not hold either. */
const JENKINS_BASIC = Buffer.from(`${JENKINS_USER}:${CANARIES.jenkins}`).toString("base64");

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/**
 * Every integration configured with canary credentials against local servers that speak the
 * vendors' APIs and echo credentials back in their error bodies. Success and error paths run
 * through REST and through tasks (whose results the coordinator stores); then no answer, no
 * log line and no byte of the data folder may hold a canary.
 */
describe("secrets of every integration, across the running system", () => {
  let dir: { path: string; remove: () => Promise<void> };
  let system: RunningSystem;
  let rest: RestClient;
  const answers: string[] = [];
  const slack = new FakeSlackServer(CANARIES.slack);
  const github = new FakeGitHubServer({ token: CANARIES.github });
  const aws = new FakeAwsServer({
    accessKeyId: CANARIES.awsKeyId,
    secretAccessKey: CANARIES.awsSecret,
  });
  const jenkins = new FakeJenkinsServer({ user: JENKINS_USER, token: CANARIES.jenkins });
  const youtrack = new FakeYouTrackServer({ [CANARIES.youtrack]: { login: "admin" } });

  beforeAll(async () => {
    dir = await tempDir("mcp-e2e-secrets-");
    await Promise.all([slack, github, aws, jenkins, youtrack].map((fake) => fake.start()));
    github.echoCredential = true;
    aws.echoCredentialsInErrors = true;
    youtrack.echoCredential = true;
    aws.s3.addBucket("releases");
    jenkins.model.addJob("shop/deploy", {
      parameters: [{ name: "PROJECT", type: "string" }],
      queuePolls: 2,
      runPolls: 3,
      consoleLines: ["deploying", "done"],
    });
    system = await launchSystem(dir.path, ["--agents", "integration"], {
      ...slack.env(),
      GITHUB_TOKEN: CANARIES.github,
      GITHUB_API_URL: github.url,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: CANARIES.awsKeyId,
      AWS_SECRET_ACCESS_KEY: CANARIES.awsSecret,
      AWS_ENDPOINT_URL: aws.url,
      JENKINS_URL: jenkins.url,
      JENKINS_USER: JENKINS_USER,
      JENKINS_API_TOKEN: CANARIES.jenkins,
      YOUTRACK_URL: youtrack.url,
      YOUTRACK_TOKEN: CANARIES.youtrack,
      JENKINS_DEPLOY_JOB: "shop/deploy",
      SLACK_NOTIFY_CHANNEL: "#development",
    });
    rest = new RestClient(system.gatewayUrl);
  }, SCENARIO_TIMEOUT_MS);

  afterAll(async () => {
    await CliProcess.killAll();
    await Promise.all([slack, github, aws, jenkins, youtrack].map((fake) => fake.close()));
    await dir?.remove();
  });

  const call = async (name: string, body: unknown) => {
    const reply = await rest.request("POST", `/api/v1/integrations/${name}`, body);
    answers.push(JSON.stringify(reply.json));
    return reply;
  };

  it(
    "reports every integration healthy with the canary credentials",
    async () => {
      const reply = await rest.request<{ integrations: Array<{ name: string; state: string }> }>(
        "GET",
        "/api/v1/integrations",
      );
      answers.push(JSON.stringify(reply.json));
      const states = Object.fromEntries(reply.json.integrations.map((i) => [i.name, i.state]));
      expect(states).toMatchObject({
        slack: "healthy",
        github: "healthy",
        aws: "healthy",
        jenkins: "healthy",
        youtrack: "healthy",
        http: "healthy",
      });
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "calls each one on success and error paths over REST",
    async () => {
      expect(
        (
          await call("slack", {
            operation: "send_message",
            parameters: { channel: "#development", text: "hi" },
          })
        ).status,
      ).toBe(200);
      slack.failNext("users.lookupByEmail", 1, {
        kind: "error",
        error: "users_not_found",
        echoCredential: true,
      });
      expect(
        (
          await call("slack", {
            operation: "lookup_user",
            parameters: { email: "nobody@example.com" },
          })
        ).status,
      ).toBe(404);
      expect((await call("github", { operation: "test" })).status).toBe(200);
      expect(
        (
          await call("github", {
            operation: "get_repository",
            parameters: { owner: "octocat", repo: "nope" },
          })
        ).status,
      ).toBe(404);
      expect((await call("aws", { service: "s3", operation: "list_buckets" })).status).toBe(200);
      expect(
        (
          await call("aws", {
            service: "s3",
            operation: "download",
            parameters: { bucket: "releases", key: "missing.txt" },
          })
        ).status,
      ).toBe(404);
      expect((await call("jenkins", { operation: "list_jobs" })).status).toBe(200);
      expect(
        (
          await call("jenkins", {
            operation: "build_status",
            parameters: { job: "nope", number: 1 },
          })
        ).status,
      ).toBe(404);
      expect((await call("youtrack", { operation: "list_projects" })).status).toBe(200);
      expect(
        (
          await call("youtrack", {
            operation: "add_comment",
            parameters: { issue: "DEMO-999", text: "x" },
          })
        ).status,
      ).toBe(404);
      for (const name of ["slack", "github", "aws", "jenkins", "youtrack"]) {
        const status = await rest.request(
          "GET",
          `/api/v1/integrations/${name}/status?refresh=true`,
        );
        answers.push(JSON.stringify(status.json));
      }
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "runs a deployment task that triggers a Jenkins build and completes when the build finishes",
    async () => {
      const task = await rest.expect<{ id: string }>(201, "POST", "/api/v1/tasks", {
        title: "Deploy the shop",
        action: {
          kind: "integration",
          integration: "jenkins",
          operation: "trigger_build",
          parameters: {
            job: "shop/deploy",
            parameters: { PROJECT: "Shop" },
            wait_for_completion: true,
            poll_interval_ms: 50,
          },
        },
      });
      const done = await rest.waitForTask(task.id, (t) => t.status === "completed", "completed");
      expect(done.result?.output).toMatchObject({
        integration: "jenkins",
        operation: "trigger_build",
        result: { result: "SUCCESS" },
      });
      const build = jenkins.model.job("shop/deploy").builds[0];
      expect(build?.params).toMatchObject({ PROJECT: "Shop" });
      expect(build?.building).toBe(false);
      answers.push(JSON.stringify(done));

      youtrack.failNext("issues.create", 1, {
        status: 401,
        error: "Unauthorized",
        description: "token",
      });
      const failing = await rest.expect<{ id: string }>(201, "POST", "/api/v1/tasks", {
        title: "File a ticket",
        action: {
          kind: "integration",
          integration: "youtrack",
          operation: "create_issue",
          parameters: { project: "DEMO", summary: "Deploy done" },
        },
      });
      const failed = await rest.waitForTask(failing.id, (t) => t.status === "failed", "failed");
      expect(failed.result?.error?.code).toBe("unauthenticated");
      answers.push(JSON.stringify(failed));
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "plans a project whose deployment builds the Jenkins job and whose end is announced on Slack, and runs both after the free-form work",
    async () => {
      const project = await rest.expect<ProjectDetailJson>(201, "POST", "/api/v1/projects", {
        name: "Shop",
        description: "A web shop",
        tech_stack: { frontend: "React", backend: "Node.js" },
      });
      const byStep = new Map(project.tasks.map((t) => [t.metadata.step as string, t]));
      expect(byStep.get("deployment")?.action).toMatchObject({
        kind: "integration",
        integration: "jenkins",
        operation: "trigger_build",
      });
      expect(byStep.get("announce")?.action).toMatchObject({
        kind: "integration",
        integration: "slack",
        parameters: { channel: "#development" },
      });
      // People (REST workers of every type) do the free-form work; the integration agent the rest.
      const workers = await Promise.all(
        ["manager", "frontend", "backend", "database", "devops", "integration", "qa"].map((type) =>
          RestWorker.register(rest, type),
        ),
      );
      const stop = new AbortController();
      const running = workers.map((w) => w.run(stop.signal));
      try {
        await eventually(
          async () => {
            const now = await rest.expect<ProjectDetailJson>(
              200,
              "GET",
              `/api/v1/projects/${project.id}`,
            );
            answers.push(JSON.stringify(now));
            return now.progress.state === "completed" ? now : undefined;
          },
          "the project to complete",
          90_000,
        );
      } finally {
        stop.abort();
        await Promise.all(running);
      }
      const deployment = await rest.getTask(byStep.get("deployment")?.id ?? "");
      expect(deployment.agent_id).toBe("integration-1");
      expect(deployment.result?.output).toMatchObject({ result: { result: "SUCCESS" } });
      expect(jenkins.model.job("shop/deploy").builds.map((b) => b.params.PROJECT)).toContain(
        "Shop",
      );
      const announced = slack.calls("chat.postMessage").at(-1);
      expect(announced?.args).toMatchObject({
        channel: "#development",
        text: `Shop is complete: all ${project.tasks.length - 1} tasks are done.`,
      });
      // The announcement came after the deployment had completed.
      const announce = await rest.getTask(byStep.get("announce")?.id ?? "");
      expect(Date.parse(announce.started_at ?? "")).toBeGreaterThanOrEqual(
        Date.parse(deployment.finished_at ?? ""),
      );
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "leaves no canary in any answer, log line or stored byte",
    async () => {
      const secrets = [...Object.values(CANARIES), JENKINS_BASIC];
      for (const answer of answers)
        for (const secret of secrets)
          expect(answer, `an answer holds ${secret}`).not.toContain(secret);
      system.cli.child.kill("SIGTERM");
      await system.cli.exited;
      const files = await filesUnder(dir.path);
      expect(files.some((f) => f.endsWith("mcp_system.log"))).toBe(true);
      for (const file of files) {
        const bytes = await readFile(file);
        for (const secret of secrets)
          expect(bytes.includes(secret), `${file} holds ${secret}`).toBe(false);
      }
      // The fakes did receive them: the test is not vacuous.
      expect(slack.calls("chat.postMessage")[0]?.token).toBe(CANARIES.slack);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
