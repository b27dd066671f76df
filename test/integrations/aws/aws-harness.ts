import { testRegistry } from "../framework/test-registry.js";
import { type IntegrationRegistry } from "../../../src/integrations/index.js";
import { awsPlugin } from "../../../src/integrations/aws/index.js";
import type { IntegrationRuntime } from "../../../src/integrations/framework/integration-runtime.js";
import { FakeAwsServer } from "./fake-aws-server.js";

/** Unique values: none may ever show in a result, an error or a log line. */
export const CANARY = {
  accessKeyId: "AKIACANARY7C1D2E9F0A",
  secretAccessKey: "canary-secret-4b8e1f0c9d7a6e5b3c2a1f0e9d8c7b6a",
  sessionToken: "canary-session-token-9f8e7d6c5b4a39281706",
} as const;

export const REGION = "us-east-1";

/** A fake AWS accepting the canary credentials, and registries of the aws plugin pointed at it. */
export class AwsHarness {
  readonly fake = new FakeAwsServer({ ...CANARY, region: REGION });
  /** Everything the service logged. */
  logs = "";

  async start(): Promise<this> {
    await this.fake.start();
    return this;
  }

  close(): Promise<void> {
    return this.fake.close();
  }

  /** The environment of a configured plugin, with overrides (undefined removes a variable). */
  env(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: CANARY.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CANARY.secretAccessKey,
      AWS_SESSION_TOKEN: CANARY.sessionToken,
      AWS_ENDPOINT_URL: this.fake.url,
      ...overrides,
    };
  }

  registry(
    env: Record<string, string | undefined> = this.env(),
    integrations: Record<string, unknown> = {},
  ): IntegrationRegistry {
    return testRegistry([awsPlugin], env, (line) => (this.logs += line), {
      retryMaxDelayMs: 300,
      ...integrations,
    });
  }

  /** The aws integration, configured against the fake. */
  aws(integrations: Record<string, unknown> = {}): IntegrationRuntime {
    return this.registry(this.env(), integrations).get("aws");
  }
}

/** Every secret value that must never leave the service. */
export const SECRETS: readonly string[] = Object.values(CANARY);
