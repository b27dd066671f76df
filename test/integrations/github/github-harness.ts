import { testRegistry } from "../framework/test-registry.js";
import { randomUUID } from "node:crypto";
import { type IntegrationRegistry } from "../../../src/integrations/index.js";
import { githubPlugin } from "../../../src/integrations/github/index.js";
import type { IntegrationRuntime } from "../../../src/integrations/framework/integration-runtime.js";
import { FakeGitHubServer, type FakeGitHubOptions } from "./fake-github-server.js";

/** A unique token per run: it must never show up in a result, an error or a log line. */
export const CANARY = `ghp_canary${randomUUID().replace(/-/g, "")}`;

/** Everything the service logged in this test file. */
export const captured = { logs: "" };

/** A fake GitHub accepting the canary token, seeded with the viewer's repository octocat/hello. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHubServer> {
  const fake = await new FakeGitHubServer({ token: CANARY, ...options }).start();
  fake.world.addRepo({ owner: "octocat", name: "hello", branches: ["main"] });
  return fake;
}

/** The registry with the github plugin, as the service builds it, logging into `captured`. */
export function githubRegistry(
  env: Record<string, string | undefined>,
  integrations: Record<string, unknown> = {},
): IntegrationRegistry {
  return testRegistry([githubPlugin], env, (line) => (captured.logs += line), integrations);
}

/** The github integration configured against `fake`, with GITHUB_OWNER=octocat unless told. */
export function github(
  fake: FakeGitHubServer,
  env: Record<string, string | undefined> = {},
  integrations: Record<string, unknown> = {},
): IntegrationRuntime {
  return githubRegistry(
    { GITHUB_API_URL: fake.url, GITHUB_TOKEN: CANARY, GITHUB_OWNER: "octocat", ...env },
    integrations,
  ).get("github");
}
