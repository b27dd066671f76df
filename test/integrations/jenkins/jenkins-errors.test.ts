import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectCode } from "../../helpers/expect-code.js";
import { FakeJenkinsServer } from "./fake-jenkins-server.js";
import { fakeEnv, jenkinsHarness } from "./jenkins-harness.js";

let fake: FakeJenkinsServer;
const harness = () => jenkinsHarness(fakeEnv(fake));
const FAST = { poll_interval_ms: 50 };

beforeAll(async () => {
  fake = await new FakeJenkinsServer().start();
  fake.model.addJob("app", { queuePolls: 0 });
});
afterAll(() => fake.close());

describe("parameters", () => {
  it("are validated before any call, each error naming the parameter", async () => {
    const { jenkins } = harness();
    const cases: [string, Record<string, unknown>, string][] = [
      ["trigger_build", {}, "parameters.job is required"],
      [
        "trigger_build",
        { job: "team//app" },
        'parameters.job must be the job\'s full name: its folders and its name joined by "/", e.g. "team/app/deploy"',
      ],
      ["trigger_build", { job: "team/../admin" }, "parameters.job must be the job's full name"],
      [
        "trigger_build",
        { job: "app", poll_interval_ms: 10 },
        "parameters.poll_interval_ms must be at least 50",
      ],
      ["trigger_build", { job: "app", branch: "main" }, "parameters.branch is not a known field"],
      ["trigger_build", { job: "app", parameters: { ENV: { a: 1 } } }, "parameters.parameters.ENV"],
      [
        "build_status",
        { job: "app", number: "latest" },
        "parameters.number must be a build number or a permalink",
      ],
      [
        "console_output",
        { job: "app", number: 1, max_bytes: 0 },
        "parameters.max_bytes must be at least 1",
      ],
      ["abort_build", { job: "app", number: "lastBuild" }, "parameters.number must be an integer"],
      ["list_jobs", { folder: "" }, "parameters.folder must be the folder's full name"],
    ];
    const before = fake.requests.length;
    for (const [operation, parameters, message] of cases) {
      const error = await expectCode(jenkins.invoke({ operation, parameters }), "invalid_argument");
      expect(error.message).toContain(message);
      expect(error.details.field).toEqual(expect.stringMatching(/^parameters\./));
    }
    expect(fake.requests.length).toBe(before);
  });
});

describe("configuration", () => {
  it("is not_configured naming the missing variable, and calls are refused as unavailable", async () => {
    const { jenkins } = jenkinsHarness({ JENKINS_URL: fake.url, JENKINS_USER: "admin" });
    const status = await jenkins.status();
    expect(status).toMatchObject({ state: "not_configured", missing: ["JENKINS_API_TOKEN"] });
    expect(status.message).toContain("JENKINS_API_TOKEN");
    const error = await expectCode(
      jenkins.invoke({ operation: "list_jobs", parameters: {} }),
      "unavailable",
    );
    expect(error.details).toMatchObject({
      reason: "not_configured",
      missing: ["JENKINS_API_TOKEN"],
    });
  });

  it("reports a JENKINS_URL that is not an http URL as down, saying so", async () => {
    const { jenkins } = jenkinsHarness({ ...fakeEnv(fake), JENKINS_URL: "ci.example.com" });
    const status = await jenkins.status();
    expect(status).toMatchObject({ state: "down", message: "jenkins: JENKINS_URL is not a URL" });
  });
});

describe("remote failures", () => {
  it("maps a rejected token to bad_credentials, with Jenkins' message and no HTML", async () => {
    const { jenkins } = jenkinsHarness({ ...fakeEnv(fake), JENKINS_API_TOKEN: "wrong-token-123" });
    const error = await expectCode(
      jenkins.invoke({ operation: "list_jobs", parameters: {} }),
      "unauthenticated",
    );
    expect(error.message).toBe(
      "jenkins: the credentials were rejected (HTTP 401): Invalid password/token for user: admin",
    );
    expect(error.details).toMatchObject({
      integration: "jenkins",
      reason: "bad_credentials",
      remote_status: 401,
    });
    const status = await jenkins.status();
    expect(status.state).toBe("down");
    expect(status.message).toContain("credentials were rejected");
  });

  it("maps a missing permission to permission_denied, naming it", async () => {
    fake.denied.add("hudson.model.Item.Build");
    try {
      const error = await expectCode(
        harness().jenkins.invoke({ operation: "trigger_build", parameters: { job: "app" } }),
        "permission_denied",
      );
      expect(error.message).toBe(
        "jenkins: the credentials lack permission (HTTP 403): Access Denied (admin lacks hudson.model.Item.Build)",
      );
      expect(error.details.reason).toBe("permission_denied");
    } finally {
      fake.denied.delete("hudson.model.Item.Build");
    }
  });

  it("retries a rate-limited call after the Retry-After it was given", async () => {
    fake.failNext("GET /api/json", FakeJenkinsServer.rateLimited(1));
    const started = Date.now();
    const outcome = await harness().jenkins.invoke({ operation: "list_jobs", parameters: {} });
    expect(outcome.tries).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("retries a rate-limited trigger (Jenkins did nothing), starting one build", async () => {
    fake.model.addJob("limited", { queuePolls: 0 });
    fake.failNext("POST /job/limited/build", FakeJenkinsServer.rateLimited(0));
    const outcome = await harness().jenkins.invoke({
      operation: "trigger_build",
      parameters: { job: "limited", ...FAST },
    });
    expect(outcome).toMatchObject({ tries: 2, result: { number: 1 } });
    expect(fake.count("POST /job/limited/build")).toBe(2);
    expect(fake.model.job("limited").builds).toHaveLength(1);
  });

  it("retries a read while Jenkins restarts (503), but never a trigger", async () => {
    fake.failNext("GET /api/json", FakeJenkinsServer.starting(0));
    const read = await harness().jenkins.invoke({ operation: "list_jobs", parameters: {} });
    expect(read.tries).toBe(2);
    fake.failNext("POST /job/app/build", FakeJenkinsServer.starting());
    const before = fake.count("POST /job/app/build");
    const error = await expectCode(
      harness().jenkins.invoke({ operation: "trigger_build", parameters: { job: "app" } }),
      "unavailable",
    );
    expect(error.message).toBe("jenkins: the service is unavailable (HTTP 503): Starting Jenkins");
    expect(fake.count("POST /job/app/build") - before).toBe(1);
  });

  it("fails with a timeout at the deadline when Jenkins does not answer", async () => {
    fake.hangNext("GET /api/json");
    const started = Date.now();
    const error = await expectCode(
      harness().jenkins.invoke({ operation: "list_jobs", parameters: {}, timeoutMs: 300 }),
      "deadline_exceeded",
    );
    expect(error.details.reason).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("says a redirect on a read is a misconfigured JENKINS_URL rather than following it", async () => {
    fake.failNext("GET /api/json", {
      status: 302,
      headers: { location: "https://ci.example.com/login" },
      body: "",
    });
    const error = await expectCode(
      harness().jenkins.invoke({ operation: "list_jobs", parameters: {} }),
      "internal",
    );
    expect(error.message).toContain("redirected to https://ci.example.com/login");
  });
});

describe("status", () => {
  it("is healthy after an authenticated read of the root, and the test operation says so", async () => {
    const { jenkins } = harness();
    const before = fake.count("GET /api/json");
    expect(await jenkins.status()).toMatchObject({ state: "healthy", message: "", missing: [] });
    const check = fake.seen("GET /api/json").at(-1)!;
    expect(check.query.get("tree")).toBe("mode,nodeDescription");
    expect(fake.count("GET /api/json") - before).toBe(1);
    const test = await jenkins.invoke({ operation: "test", parameters: {} });
    expect(test.result).toMatchObject({ state: "healthy" });
  });

  it("is down when Jenkins cannot be reached", async () => {
    const gone = await new FakeJenkinsServer().start();
    await gone.close();
    const status = await jenkinsHarness(fakeEnv(gone)).jenkins.status();
    expect(status.state).toBe("down");
    expect(status.message).toContain("ECONNREFUSED");
  });

  it("is down when the user may not read Jenkins", async () => {
    fake.denied.add("hudson.model.Hudson.Read");
    try {
      const status = await harness().jenkins.status();
      expect(status).toMatchObject({ state: "down" });
      expect(status.message).toContain("lacks hudson.model.Hudson.Read");
    } finally {
      fake.denied.delete("hudson.model.Hudson.Read");
    }
  });
});
