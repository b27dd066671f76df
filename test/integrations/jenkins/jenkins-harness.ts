import { testRegistry } from "../framework/test-registry.js";
import type { IntegrationRuntime } from "../../../src/integrations/framework/integration-runtime.js";
import { jenkinsPlugin } from "../../../src/integrations/jenkins/index.js";
import type { FakeJenkinsServer } from "./fake-jenkins-server.js";

/** A Jenkins integration going through the whole runtime, with what it logged. */
export interface JenkinsHarness {
  jenkins: IntegrationRuntime;
  logs: () => string;
}

/** Builds a registry holding only the Jenkins plugin, with `env` as the environment. */
export function jenkinsHarness(
  env: Record<string, string | undefined>,
  integrations: Record<string, unknown> = {},
): JenkinsHarness {
  let logs = "";
  const registry = testRegistry([jenkinsPlugin], env, (line) => (logs += line), integrations);
  return { jenkins: registry.get("jenkins"), logs: () => logs };
}

/** The environment pointing the plugin at `fake` with its credentials. */
export function fakeEnv(fake: FakeJenkinsServer): Record<string, string> {
  return { JENKINS_URL: fake.url, JENKINS_USER: fake.user, JENKINS_API_TOKEN: fake.token };
}

/** The Authorization header the plugin should send to `fake`. */
export function basicHeader(fake: FakeJenkinsServer): string {
  return `Basic ${Buffer.from(`${fake.user}:${fake.token}`).toString("base64")}`;
}
