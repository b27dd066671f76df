import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectCode } from "../../helpers/expect-code.js";
import { FakeJenkinsServer } from "./fake-jenkins-server.js";
import { basicHeader, fakeEnv, jenkinsHarness } from "./jenkins-harness.js";

let fake: FakeJenkinsServer;
const harness = () => jenkinsHarness(fakeEnv(fake));
const FAST = { poll_interval_ms: 50 };

beforeAll(async () => {
  fake = await new FakeJenkinsServer().start();
  fake.model.addJob("app", { queuePolls: 2, runPolls: 2, consoleLines: ["compiling", "testing"] });
  fake.model.addJob("team/web/deploy", {
    pipeline: true,
    parameters: [
      { name: "ENV", default: "staging" },
      { name: "DRY_RUN", type: "boolean", default: true },
      { name: "REPLICAS", default: "1" },
    ],
  });
  fake.model.addJob("team/flaky", { result: "FAILURE", runPolls: 1 });
  fake.model.addJob("team/slow", { runPolls: 10_000 });
  fake.model.addJob("team/cancelled", { cancelInQueue: true });
  fake.model.addJob("team/old", { disabled: true });
});
afterAll(() => fake.close());

describe("trigger_build", () => {
  it("POSTs /build with the crumb and its session cookie, then follows the queue item to the build number", async () => {
    const { jenkins, logs } = harness();
    const { result } = await jenkins.invoke({
      operation: "trigger_build",
      parameters: { job: "app", ...FAST },
    });
    expect(result).toEqual({
      job: "app",
      queue_item: expect.any(Number),
      number: 1,
      url: `${fake.url}/job/app/1/`,
    });
    const post = fake.seen("POST /job/app/build").at(-1)!;
    const crumbAnswer = fake.seen("GET /crumbIssuer/api/json").at(-1)!;
    expect(crumbAnswer.headers.authorization).toBe(basicHeader(fake));
    expect(post.headers["jenkins-crumb"]).toMatch(/^[0-9a-f]{64}$/);
    expect(post.headers.cookie).toMatch(/^JSESSIONID\.[0-9a-f]{8}=node0/);
    expect(post.body).toBe("");
    // Two polls while it waits, the third sees the build.
    const queueItem = (result as { queue_item: number }).queue_item;
    expect(fake.count(`GET /queue/item/${queueItem}/api/json`)).toBe(3);
    expect(logs()).toContain("In the quiet period");
    expect(logs()).toContain("Waiting for next available executor");
    expect(logs()).toContain("jenkins build started");
  });

  it("POSTs the parameters as a form to buildWithParameters of a job in folders, with the delay", async () => {
    const { jenkins } = harness();
    const { result } = await jenkins.invoke({
      operation: "trigger_build",
      parameters: {
        job: "team/web/deploy",
        parameters: { ENV: "prod eu", DRY_RUN: false, REPLICAS: 3 },
        delay_seconds: 0,
        ...FAST,
      },
    });
    expect(result).toMatchObject({ job: "team/web/deploy", number: 1 });
    const post = fake.seen("POST /job/team/job/web/job/deploy/buildWithParameters").at(-1)!;
    expect(post.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(post.body))).toEqual({
      ENV: "prod eu",
      DRY_RUN: "false",
      REPLICAS: "3",
    });
    expect(post.query.get("delay")).toBe("0sec");
    const status = await jenkins.invoke({
      operation: "build_status",
      parameters: { job: "team/web/deploy", number: 1 },
    });
    expect(status.result).toMatchObject({
      parameters: { ENV: "prod eu", DRY_RUN: false, REPLICAS: "3" },
    });
  });

  it("with wait_for_completion, polls the build to its end and returns its result and duration", async () => {
    const { jenkins, logs } = harness();
    const { result } = await jenkins.invoke({
      operation: "trigger_build",
      parameters: { job: "app", wait_for_completion: true, ...FAST },
    });
    expect(result).toMatchObject({
      job: "app",
      number: 2,
      building: false,
      result: "SUCCESS",
      duration_ms: expect.any(Number),
      url: `${fake.url}/job/app/2/`,
      queue_item: expect.any(Number),
    });
    // Built for two reads, finished on the third.
    expect(fake.count("GET /job/app/2/api/json")).toBe(3);
    expect(fake.seen("GET /job/app/2/api/json")[0]!.query.get("tree")).toContain("building");
    expect(logs()).toContain("jenkins build finished");
  });

  it("fails (not retryably) when the build it waited for does not succeed", async () => {
    const before = fake.count("POST /job/team/job/flaky/build");
    const error = await expectCode(
      harness().jenkins.invoke({
        operation: "trigger_build",
        parameters: { job: "team/flaky", wait_for_completion: true, ...FAST },
      }),
      "failed_precondition",
    );
    expect(error.message).toBe("jenkins: build team/flaky #1 finished with FAILURE");
    expect(error.details).toMatchObject({
      integration: "jenkins",
      reason: "build_failed",
      build_number: 1,
      result: "FAILURE",
      url: `${fake.url}/job/team/job/flaky/1/`,
    });
    expect(error.retryable).toBe(false);
    expect(fake.count("POST /job/team/job/flaky/build") - before).toBe(1);
  });

  it("fails when the queued build is cancelled", async () => {
    const error = await expectCode(
      harness().jenkins.invoke({
        operation: "trigger_build",
        parameters: { job: "team/cancelled", ...FAST },
      }),
      "failed_precondition",
    );
    expect(error.details).toMatchObject({ reason: "build_cancelled", job: "team/cancelled" });
  });

  it("says conflict for a disabled job, and not found naming a job that does not exist", async () => {
    const { jenkins } = harness();
    const disabled = await expectCode(
      jenkins.invoke({ operation: "trigger_build", parameters: { job: "team/old" } }),
      "failed_precondition",
    );
    expect(disabled.message).toBe("jenkins: conflict (HTTP 409): team/old is not buildable");
    const missing = await expectCode(
      jenkins.invoke({ operation: "trigger_build", parameters: { job: "team/nope" } }),
      "not_found",
    );
    expect(missing.message).toBe('jenkins: not found (HTTP 404): job "team/nope"');
    expect(missing.details).toMatchObject({ reason: "not_found", remote_status: 404 });
  });

  it("keeps polling through a rate limit after triggering, so the build is started once", async () => {
    const { jenkins } = harness();
    const before = fake.count("POST /job/app/build");
    fake.failNext("GET /queue/item/*", FakeJenkinsServer.rateLimited(0), 2);
    fake.failNext("GET /job/app/*", FakeJenkinsServer.starting(), 1);
    const outcome = await jenkins.invoke({
      operation: "trigger_build",
      parameters: { job: "app", wait_for_completion: true, ...FAST },
    });
    expect(outcome).toMatchObject({ tries: 1, result: { result: "SUCCESS" } });
    expect(fake.count("POST /job/app/build") - before).toBe(1);
  });

  it("stops polling at once when the caller goes away", async () => {
    const { jenkins } = harness();
    const controller = new AbortController();
    const call = jenkins.invoke({
      operation: "trigger_build",
      parameters: { job: "team/slow", wait_for_completion: true, ...FAST },
      signal: controller.signal,
    });
    await until(() => fake.count("GET /job/team/job/slow/1/api/json") >= 2);
    controller.abort();
    await expectCode(call, "cancelled");
    const polls = fake.count("GET /job/team/job/slow/1/api/json");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.count("GET /job/team/job/slow/1/api/json")).toBe(polls);
  });
  it("says the build was triggered when following it fails, so a caller knows not to simply retry", async () => {
    fake.failNext("GET /queue/item/*", { status: 404 });
    const error = await expectCode(
      harness().jenkins.invoke({ operation: "trigger_build", parameters: { job: "app", ...FAST } }),
      "not_found",
    );
    const queueItem = error.details.queue_item as number;
    expect(error.message).toBe(
      `jenkins: not found (HTTP 404): queue item ${queueItem} of job "app" (the build was triggered: queue item ${queueItem})`,
    );
    expect(error.details).toMatchObject({ triggered: true, reason: "not_found" });
  });
});

describe("CSRF crumbs", () => {
  it("fetches the crumb once per client and reuses it", async () => {
    fake.model.addJob("crumbs", { queuePolls: 0 });
    const { jenkins } = harness();
    const before = fake.count("GET /crumbIssuer/api/json");
    await jenkins.invoke({ operation: "trigger_build", parameters: { job: "crumbs", ...FAST } });
    await jenkins.invoke({ operation: "trigger_build", parameters: { job: "crumbs", ...FAST } });
    expect(fake.count("GET /crumbIssuer/api/json") - before).toBe(1);
  });

  it("fetches a new crumb once when Jenkins no longer accepts the old one", async () => {
    fake.model.addJob("restarted", { queuePolls: 0 });
    const { jenkins } = harness();
    await jenkins.invoke({ operation: "trigger_build", parameters: { job: "restarted", ...FAST } });
    fake.invalidateSessions();
    const crumbs = fake.count("GET /crumbIssuer/api/json");
    const { result } = await jenkins.invoke({
      operation: "trigger_build",
      parameters: { job: "restarted", ...FAST },
    });
    expect(result).toMatchObject({ number: 2 });
    expect(fake.count("GET /crumbIssuer/api/json") - crumbs).toBe(1);
    const posts = fake.seen("POST /job/restarted/build");
    expect(posts).toHaveLength(3);
    expect(posts[1]!.headers["jenkins-crumb"]).toBe(posts[0]!.headers["jenkins-crumb"]);
    expect(posts[2]!.headers["jenkins-crumb"]).not.toBe(posts[1]!.headers["jenkins-crumb"]);
  });

  it("sends no crumb when CSRF protection is off (the crumb issuer answers 404)", async () => {
    const open = await new FakeJenkinsServer({ csrf: false }).start();
    try {
      open.model.addJob("app", { queuePolls: 0 });
      const { result } = await jenkinsHarness(fakeEnv(open)).jenkins.invoke({
        operation: "trigger_build",
        parameters: { job: "app", ...FAST },
      });
      expect(result).toMatchObject({ number: 1 });
      expect(open.count("GET /crumbIssuer/api/json")).toBe(1);
      const post = open.seen("POST /job/app/build")[0]!;
      expect(post.headers["jenkins-crumb"]).toBeUndefined();
      expect(post.headers.cookie).toBeUndefined();
    } finally {
      await open.close();
    }
  });
});

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
