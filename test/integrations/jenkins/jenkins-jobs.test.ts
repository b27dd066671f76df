import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectCode } from "../../helpers/expect-code.js";
import { FakeJenkinsServer } from "./fake-jenkins-server.js";
import { basicHeader, fakeEnv, jenkinsHarness } from "./jenkins-harness.js";

let fake: FakeJenkinsServer;
const harness = () => jenkinsHarness(fakeEnv(fake));
const FAST = { poll_interval_ms: 50 };

beforeAll(async () => {
  fake = await new FakeJenkinsServer().start();
  fake.model.addJob("app", { queuePolls: 0 });
  fake.model.addJob("team/web/deploy", {
    pipeline: true,
    parameters: [{ name: "ENV", default: "staging" }],
  });
  fake.model.addJob("team/flaky", { result: "FAILURE", queuePolls: 0 });
});
afterAll(() => fake.close());

describe("list_jobs", () => {
  it("lists the top level with each job's status from its colour, asking only for those fields", async () => {
    const { result } = await harness().jenkins.invoke({ operation: "list_jobs", parameters: {} });
    expect(result).toEqual({
      folder: null,
      jobs: [
        {
          name: "app",
          full_name: "app",
          url: `${fake.url}/job/app/`,
          type: "FreeStyleProject",
          status: "notbuilt",
        },
        {
          name: "team",
          full_name: "team",
          url: `${fake.url}/job/team/`,
          type: "Folder",
          status: "none",
        },
      ],
    });
    const request = fake.seen("GET /api/json").at(-1)!;
    expect(request.query.get("tree")).toBe("jobs[name,url,color,fullName]");
    expect(request.headers.authorization).toBe(basicHeader(fake));
  });

  it("lists a folder's jobs, through /job/<folder>/job/<sub>", async () => {
    const { result } = await harness().jenkins.invoke({
      operation: "list_jobs",
      parameters: { folder: "team/web" },
    });
    expect(result).toEqual({
      folder: "team/web",
      jobs: [
        {
          name: "deploy",
          full_name: "team/web/deploy",
          url: `${fake.url}/job/team/job/web/job/deploy/`,
          type: "WorkflowJob",
          status: "notbuilt",
        },
      ],
    });
    expect(fake.count("GET /job/team/job/web/api/json")).toBe(1);
  });

  it("refuses a job that is not a folder, and names a folder that does not exist", async () => {
    const { jenkins } = harness();
    const notFolder = await expectCode(
      jenkins.invoke({ operation: "list_jobs", parameters: { folder: "app" } }),
      "invalid_argument",
    );
    expect(notFolder.message).toBe('jenkins: "app" is not a folder: it has no jobs');
    const missing = await expectCode(
      jenkins.invoke({ operation: "list_jobs", parameters: { folder: "nope" } }),
      "not_found",
    );
    expect(missing.message).toBe('jenkins: not found (HTTP 404): folder "nope"');
  });
});

describe("build_status", () => {
  it("reads a build by number and by permalink", async () => {
    const { jenkins } = harness();
    await expectCode(
      jenkins.invoke({
        operation: "trigger_build",
        parameters: { job: "team/flaky", wait_for_completion: true, ...FAST },
      }),
      "failed_precondition",
    );
    await jenkins.invoke({
      operation: "trigger_build",
      parameters: { job: "team/web/deploy", parameters: {}, wait_for_completion: true, ...FAST },
    });
    const byNumber = await jenkins.invoke({
      operation: "build_status",
      parameters: { job: "team/flaky", number: 1 },
    });
    expect(byNumber.result).toEqual({
      job: "team/flaky",
      number: 1,
      building: false,
      result: "FAILURE",
      duration_ms: expect.any(Number),
      estimated_duration_ms: 60_000,
      timestamp: expect.any(Number),
      url: `${fake.url}/job/team/job/flaky/1/`,
      parameters: {},
    });
    const last = await jenkins.invoke({
      operation: "build_status",
      parameters: { job: "team/web/deploy", number: "lastBuild" },
    });
    expect(last.result).toMatchObject({ number: 1, building: false, result: "SUCCESS" });
    expect(fake.count("GET /job/team/job/web/job/deploy/lastBuild/api/json")).toBe(1);
  });

  it("names the build and job it did not find", async () => {
    const error = await expectCode(
      harness().jenkins.invoke({
        operation: "build_status",
        parameters: { job: "app", number: 99 },
      }),
      "not_found",
    );
    expect(error.message).toBe('jenkins: not found (HTTP 404): build #99 of job "app"');
  });
});

describe("console_output", () => {
  it("reads the log progressively from byte offsets until Jenkins says there is no more", async () => {
    const { jenkins } = harness();
    fake.model.addJob("logs", {
      queuePolls: 0,
      runPolls: 2,
      consoleLines: ["step one", "step two"],
    });
    await jenkins.invoke({ operation: "trigger_build", parameters: { job: "logs", ...FAST } });
    const read = (start: number) =>
      jenkins.invoke({
        operation: "console_output",
        parameters: { job: "logs", number: 1, start },
      });
    const first = (await read(0)).result as { text: string; next_start: number; more: boolean };
    expect(first).toMatchObject({ text: "Started by user admin\nstep one\n", more: true });
    expect(first.next_start).toBe(Buffer.byteLength(first.text));
    const second = (await read(first.next_start)).result as typeof first;
    expect(second).toMatchObject({ text: "step two\n", more: true });
    const third = (await read(second.next_start)).result as typeof first;
    expect(third).toMatchObject({ text: "Finished: SUCCESS\n", more: false, building: false });
    expect(
      fake.seen("GET /job/logs/1/logText/progressiveText").map((r) => r.query.get("start")),
    ).toEqual(["0", String(first.next_start), String(second.next_start)]);
  });

  it("cuts at max_bytes without splitting a character, and goes on from there", async () => {
    const { jenkins } = harness();
    fake.model.addJob("unicode", { queuePolls: 0, runPolls: 0, consoleLines: ["héllo wörld"] });
    await jenkins.invoke({ operation: "trigger_build", parameters: { job: "unicode", ...FAST } });
    // "Started by user admin\nh" is 23 bytes; "é" takes two, so 24 would split it.
    const cut = await jenkins.invoke({
      operation: "console_output",
      parameters: { job: "unicode", number: "lastBuild", max_bytes: 24 },
    });
    expect(cut.result).toMatchObject({
      text: "Started by user admin\nh",
      next_start: 23,
      more: true,
      building: false,
    });
    const rest = await jenkins.invoke({
      operation: "console_output",
      parameters: { job: "unicode", number: "lastBuild", start: 23 },
    });
    expect(rest.result).toMatchObject({ text: "éllo wörld\nFinished: SUCCESS\n", more: false });
  });
});

describe("abort_build", () => {
  it("POSTs stop with the crumb and reports the build aborted", async () => {
    const { jenkins } = harness();
    fake.model.addJob("long", { queuePolls: 0, runPolls: 1_000 });
    await jenkins.invoke({ operation: "trigger_build", parameters: { job: "long", ...FAST } });
    const { result } = await jenkins.invoke({
      operation: "abort_build",
      parameters: { job: "long", number: 1 },
    });
    expect(result).toEqual({
      job: "long",
      number: 1,
      stop_requested: true,
      building: false,
      result: "ABORTED",
      url: `${fake.url}/job/long/1/`,
    });
    const stop = fake.seen("POST /job/long/1/stop").at(-1)!;
    expect(stop.headers["jenkins-crumb"]).toBeDefined();
    const log = await jenkins.invoke({
      operation: "console_output",
      parameters: { job: "long", number: 1 },
    });
    expect((log.result as { text: string }).text).toContain("Aborted by admin");
  });
});
