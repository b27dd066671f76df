import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AppError } from "../../../src/domain/index.js";
import { FakeJenkinsServer } from "./fake-jenkins-server.js";
import { fakeEnv, jenkinsHarness } from "./jenkins-harness.js";

const TOKEN = `canary${randomBytes(16).toString("hex")}`;
let fake: FakeJenkinsServer;

beforeAll(async () => {
  fake = await new FakeJenkinsServer({ user: "deployer", token: TOKEN }).start();
  fake.model.addJob("team/app", { queuePolls: 1, runPolls: 1, parameters: [{ name: "TOKEN" }] });
});
afterAll(() => fake.close());

/** Every spelling of the credentials that must never leave the service. */
function spellings(): string[] {
  const basic = Buffer.from(`deployer:${TOKEN}`).toString("base64");
  return [TOKEN, TOKEN.slice(0, 14), basic, basic.replace(/=+$/, ""), `Basic ${basic}`];
}

function expectClean(text: string): void {
  for (const secret of spellings()) expect(text).not.toContain(secret);
}

async function outcomeText(call: Promise<unknown>): Promise<string> {
  try {
    return JSON.stringify(await call);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    return `${appError.message} ${JSON.stringify(appError.details)}`;
  }
}

it("never lets the token or the Basic credentials out, on success or failure", async () => {
  const { jenkins, logs } = jenkinsHarness(fakeEnv(fake));
  const texts: string[] = [];
  const run = async (operation: string, parameters: Record<string, unknown>) =>
    texts.push(await outcomeText(jenkins.invoke({ operation, parameters })));

  await run("list_jobs", { folder: "team" });
  // A parameter value equal to the token comes back redacted from the build's parameters.
  await run("trigger_build", {
    job: "team/app",
    parameters: { TOKEN },
    wait_for_completion: true,
    poll_interval_ms: 50,
  });
  await run("build_status", { job: "team/app", number: "lastBuild" });
  await run("console_output", { job: "team/app", number: 1 });

  // Error pages echoing the credentials, on reads, the crumb issuer, a POST and the check.
  const echo = { status: 401, echoCredential: true };
  fake.failNext("GET /api/json", echo);
  await run("list_jobs", {});
  fake.failNext("GET /crumbIssuer/api/json", echo);
  // A new client, whose first POST fetches a crumb.
  const fresh = jenkinsHarness(fakeEnv(fake));
  texts.push(
    await outcomeText(
      fresh.jenkins.invoke({
        operation: "abort_build",
        parameters: { job: "team/app", number: 1 },
      }),
    ),
  );
  fake.failNext("POST /job/team/job/app/buildWithParameters", { ...echo, status: 400 });
  await run("trigger_build", { job: "team/app", parameters: {} });
  fake.failNext("GET /job/team/job/app/1/api/json", { ...echo, status: 404 });
  await run("build_status", { job: "team/app", number: 1 });
  fake.failNext("GET /api/json", echo);
  await run("test", {});
  fake.failNext("GET /api/json", echo);
  texts.push(JSON.stringify(await jenkins.status({ refresh: true })));
  // A long page puts the token where the message is cut: half a token must not get out either.
  fake.failNext("GET /job/team/api/json", {
    status: 400,
    body: `<html><head><title>Error 400 ${"x".repeat(180)} ${TOKEN}</title></head></html>`,
  });
  await run("list_jobs", { folder: "team" });

  expect(texts.join("\n")).toContain("[redacted]");
  for (const text of texts) expectClean(text);
  expectClean(logs());
  expectClean(fresh.logs());
  // The canary really was sent, and echoed: the checks above could have failed.
  expect(fake.requests.some((r) => r.headers.authorization?.includes(spellings()[3]!))).toBe(true);
});
