import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { planIntegrationsFrom, planProject } from "../../src/coordinator/index.js";
import type { ProjectSpec } from "../../src/domain/index.js";

const SHOP: ProjectSpec = {
  name: "Shop",
  description: "A web shop",
  requirements: "",
  techStack: { frontend: "React" },
  priority: "medium",
  template: null,
  metadata: {},
};

const config = loadConfig({ env: {}, flags: {} });

describe("plans that use integrations", () => {
  it("uses none when none is configured", () => {
    const integrations = planIntegrationsFrom(config, {});
    expect(integrations).toEqual({ slackChannel: null, jenkinsDeployJob: null });
    const plan = planProject(SHOP, "prj_1", integrations);
    expect(plan.tasks.every((t) => t.action === null)).toBe(true);
  });

  it("announces the finished project on Slack, after every other task", () => {
    const integrations = planIntegrationsFrom(config, {
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_NOTIFY_CHANNEL: "#launches",
    });
    const { tasks } = planProject(SHOP, "prj_1", integrations);
    const announce = tasks.at(-1);
    expect(announce?.ref).toBe("announce");
    expect(announce?.type).toBe("integration");
    expect(announce?.dependencies).toEqual(tasks.slice(0, -1).map((t) => t.ref));
    expect(announce?.action).toEqual({
      kind: "integration",
      integration: "slack",
      service: null,
      operation: "send_message",
      parameters: {
        channel: "#launches",
        text: `Shop is complete: all ${tasks.length - 1} tasks are done.`,
      },
      timeoutMs: null,
    });
    expect(planIntegrationsFrom(config, { SLACK_BOT_TOKEN: "xoxb-1" }).slackChannel).toBe(
      "#general",
    );
  });

  it("deploys through a Jenkins build when Jenkins and a deploy job are configured", () => {
    const env = { JENKINS_URL: "https://ci", JENKINS_USER: "bot", JENKINS_API_TOKEN: "t" };
    expect(planIntegrationsFrom(config, env).jenkinsDeployJob).toBeNull();
    const integrations = planIntegrationsFrom(config, {
      ...env,
      JENKINS_DEPLOY_JOB: "shop/deploy",
    });
    const deployment = planProject(SHOP, "prj_1", integrations).tasks.find(
      (t) => t.ref === "deployment",
    );
    expect(deployment?.type).toBe("integration");
    expect(deployment?.action).toMatchObject({
      kind: "integration",
      integration: "jenkins",
      operation: "trigger_build",
      parameters: {
        job: "shop/deploy",
        parameters: { PROJECT: "Shop" },
        wait_for_completion: true,
      },
    });
  });

  it("reads settings from the config file too", () => {
    const fromFile = loadConfig({
      env: {},
      flags: {},
      base: { integrations: { settings: { slack: { token: "xoxb-2", notifyChannel: "#ops" } } } },
    });
    expect(planIntegrationsFrom(fromFile, {}).slackChannel).toBe("#ops");
  });
});
