import { Writable } from "node:stream";
import { loadConfig } from "../../../src/config/index.js";
import {
  createIntegrationRegistry,
  createMemoryCallJournal,
} from "../../../src/integrations/index.js";
import type { IntegrationRuntime } from "../../../src/integrations/framework/integration-runtime.js";
import { jenkinsPlugin } from "../../../src/integrations/jenkins/index.js";
import { createLogger } from "../../../src/observability/index.js";
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
  const config = loadConfig({
    env: {},
    flags: {},
    base: {
      integrations: {
        retryMaxDelayMs: 2_000,
        degradedLatencyMs: 1_000,
        callTimeoutMs: 3_000,
        ...integrations,
      },
    },
  });
  const logger = createLogger({
    process: "integration",
    level: "debug",
    destination: new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        logs += chunk.toString();
        done();
      },
    }),
  });
  const registry = createIntegrationRegistry([jenkinsPlugin], {
    config: config.integrations,
    env,
    logger,
    journal: createMemoryCallJournal(),
  });
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
