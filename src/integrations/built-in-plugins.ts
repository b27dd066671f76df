import type { IntegrationPlugin } from "./integration.js";
import { slackPlugin } from "./slack/index.js";
import { githubPlugin } from "./github/index.js";
import { awsPlugin } from "./aws/index.js";
import { jenkinsPlugin } from "./jenkins/index.js";
import { youtrackPlugin } from "./youtrack/index.js";
import { httpPlugin } from "./http/index.js";

/**
 * The integrations that come with the product, in the order they are listed. Adding one is
 * adding its module here; nothing else knows about it.
 */
export const BUILT_IN_PLUGINS: readonly IntegrationPlugin[] = [
  slackPlugin,
  githubPlugin,
  awsPlugin,
  jenkinsPlugin,
  youtrackPlugin,
  httpPlugin,
];
