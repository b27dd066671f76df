import type { Config } from "../../config/index.js";

/**
 * The integrations plans may use, decided once from the configuration and environment the
 * integration service also reads: a Slack notification when the project is complete, and a
 * Jenkins build for the deployment step.
 */
export interface PlanIntegrations {
  /** Post to this Slack channel when every other task of the project is complete. */
  slackChannel: string | null;
  /** Deploy by building this Jenkins job (and waiting for it) instead of free-form work. */
  jenkinsDeployJob: string | null;
}

export const NO_PLAN_INTEGRATIONS: PlanIntegrations = {
  slackChannel: null,
  jenkinsDeployJob: null,
};

type Env = Readonly<Record<string, string | undefined>>;

function setting(config: Config, env: Env, integration: string, key: string, variable: string) {
  const value = config.integrations.settings[integration]?.[key] ?? env[variable];
  return value === undefined || value.trim() === "" ? null : value.trim();
}

/**
 * Slack counts as configured when its token is set (SLACK_BOT_TOKEN); the channel is
 * SLACK_NOTIFY_CHANNEL, default #general. Jenkins deploys when its URL, user and token are set
 * and JENKINS_DEPLOY_JOB names the job.
 */
export function planIntegrationsFrom(config: Config, env: Env): PlanIntegrations {
  const slackToken = setting(config, env, "slack", "token", "SLACK_BOT_TOKEN");
  const jenkinsReady = ["url", "user", "token"].every(
    (key, i) =>
      setting(
        config,
        env,
        "jenkins",
        key,
        ["JENKINS_URL", "JENKINS_USER", "JENKINS_API_TOKEN"][i] ?? "",
      ) !== null,
  );
  return {
    slackChannel:
      slackToken === null
        ? null
        : (setting(config, env, "slack", "notifyChannel", "SLACK_NOTIFY_CHANNEL") ?? "#general"),
    jenkinsDeployJob: jenkinsReady
      ? setting(config, env, "jenkins", "deployJob", "JENKINS_DEPLOY_JOB")
      : null,
  };
}
