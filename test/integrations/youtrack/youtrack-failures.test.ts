import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectCode } from "../../helpers/expect-code.js";
import { failures, FakeYouTrackServer } from "./fake-youtrack-server.js";
import {
  captured,
  READER_TOKEN,
  startFakeYouTrack,
  TOKEN,
  youtrack,
  youtrackRegistry,
} from "./youtrack-harness.js";

let server: FakeYouTrackServer;

beforeEach(async () => {
  server = await startFakeYouTrack();
  server.data.createIssue(server.data.projects[0]!, "Existing", null);
});
afterEach(async () => {
  await server.close();
  expect(captured.logs).not.toContain(TOKEN);
});

describe("not configured", () => {
  it("reports not_configured naming the missing variable and refuses calls with unavailable", async () => {
    const yt = youtrackRegistry({ YOUTRACK_URL: server.url }).get("youtrack");
    const status = await yt.status();
    expect(status).toMatchObject({ state: "not_configured", missing: ["YOUTRACK_TOKEN"] });
    expect(status.message).toContain("YOUTRACK_TOKEN");
    const error = await expectCode(
      yt.invoke({ operation: "list_projects", parameters: {} }),
      "unavailable",
    );
    expect(error.message).toBe(
      "youtrack is not configured: set YOUTRACK_TOKEN (or integrations.settings.youtrack.token in the config file)",
    );
    expect(error.details).toMatchObject({ reason: "not_configured", missing: ["YOUTRACK_TOKEN"] });
    const neither = await youtrackRegistry({}).get("youtrack").status();
    expect(neither.missing).toEqual(["YOUTRACK_URL", "YOUTRACK_TOKEN"]);
    expect(server.requests).toHaveLength(0);
  });
});

describe("remote failures", () => {
  it("says bad_credentials for a token YouTrack does not accept", async () => {
    const error = await expectCode(
      youtrack(server, "perm:d3Jvbmc=.d3Jvbmc=.wrongwrongwrong").invoke({
        operation: "search_issues",
        parameters: {},
      }),
      "unauthenticated",
    );
    expect(error.details).toMatchObject({
      integration: "youtrack",
      reason: "bad_credentials",
      remote_status: 401,
    });
    expect(error.message).toBe(
      "youtrack: the credentials were rejected (HTTP 401): You are not logged in or the token is not valid",
    );
  });

  it("says permission_denied when the token's user may not change issues", async () => {
    const error = await expectCode(
      youtrack(server, READER_TOKEN).invoke({
        operation: "add_comment",
        parameters: { issue: "DEMO-1", text: "hi" },
      }),
      "permission_denied",
    );
    expect(error.details).toMatchObject({ reason: "permission_denied", remote_status: 403 });
    expect(error.message).toContain("jane has no permission to change issues");
    expect(server.data.issue("DEMO-1")?.comments).toHaveLength(0);
  });

  it("says not_found naming an issue that does not exist", async () => {
    const yt = youtrack(server);
    const comment = await expectCode(
      yt.invoke({ operation: "add_comment", parameters: { issue: "DEMO-999", text: "x" } }),
      "not_found",
    );
    expect(comment.details).toMatchObject({ reason: "not_found", remote_status: 404 });
    expect(comment.message).toBe(
      'youtrack: not found (HTTP 404): issue "DEMO-999": Entity with id DEMO-999 not found',
    );
    const update = await expectCode(
      yt.invoke({ operation: "update_issue", parameters: { issue: "DEMO-999", summary: "x" } }),
      "not_found",
    );
    expect(update.message).toContain('issue "DEMO-999"');
  });

  it("retries a rate-limited call after YouTrack's Retry-After", async () => {
    server.failNext("issues.list", 1, failures.rateLimited(1));
    const started = Date.now();
    const outcome = await youtrack(server).invoke({ operation: "search_issues", parameters: {} });
    expect(outcome).toMatchObject({ tries: 2, result: { count: 1 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requestsTo("issues.list")).toHaveLength(2);
  });

  it("gives up at once on a Retry-After longer than the service waits, saying how long", async () => {
    server.failNext("users.me", 1, failures.rateLimited(3600));
    server.failNext("projects.list", 1, failures.rateLimited(3600));
    const error = await expectCode(
      youtrack(server).invoke({ operation: "list_projects", parameters: {} }),
      "resource_exhausted",
    );
    expect(error.details).toMatchObject({ reason: "rate_limited", retry_after_ms: 3_600_000 });
    expect(server.requestsTo("projects.list")).toHaveLength(1);
  });

  it("retries an outage for reads but not for writes", async () => {
    server.failNext("issues.list", 1, failures.unavailable(0));
    const read = await youtrack(server).invoke({ operation: "search_issues", parameters: {} });
    expect(read.tries).toBe(2);
    server.failNext("comments.create", 1, failures.unavailable());
    const error = await expectCode(
      youtrack(server).invoke({
        operation: "add_comment",
        parameters: { issue: "DEMO-1", text: "once" },
      }),
      "unavailable",
    );
    expect(error.details).toMatchObject({ reason: "unavailable", remote_status: 503 });
    expect(server.requestsTo("comments.create")).toHaveLength(1);
  });

  it("fails with a timeout at the call's deadline when YouTrack does not answer", async () => {
    server.failNext("comments.create", 1, failures.hang);
    const started = Date.now();
    const error = await expectCode(
      youtrack(server).invoke({
        operation: "add_comment",
        parameters: { issue: "DEMO-1", text: "x" },
        timeoutMs: 300,
      }),
      "deadline_exceeded",
    );
    expect(error.details.reason).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("says unavailable when the instance cannot be reached", async () => {
    const gone = await new FakeYouTrackServer({}).start();
    await gone.close();
    const error = await expectCode(
      youtrack(gone).invoke({
        operation: "add_comment",
        parameters: { issue: "DEMO-1", text: "x" },
      }),
      "unavailable",
    );
    expect(error.message).toContain("ECONNREFUSED");
  });
});

describe("status", () => {
  it("is healthy when the token works, and the test operation says who it is", async () => {
    const yt = youtrack(server);
    expect(await yt.status()).toMatchObject({ state: "healthy", message: "", missing: [] });
    const [me] = server.requestsTo("users.me");
    expect(me?.query).toEqual({ fields: "id,login,name" });
    expect(me?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const test = await yt.invoke({ operation: "test", parameters: {} });
    expect(test.result).toMatchObject({ state: "healthy" });
  });

  it("is down when the token is rejected or the instance is unreachable", async () => {
    const rejected = await youtrack(server, "perm:bm9ib2R5.bm9ib2R5.nobodynobody").status();
    expect(rejected.state).toBe("down");
    expect(rejected.message).toContain("credentials were rejected");
    const gone = await new FakeYouTrackServer({}).start();
    await gone.close();
    expect((await youtrack(gone).status()).state).toBe("down");
  });
});

describe("the token", () => {
  it("never appears in a result, an error or a log line, even when YouTrack echoes it", async () => {
    const yt = youtrack(server);
    const seen: string[] = [];
    const results = [
      await yt.invoke({ operation: "list_projects", parameters: {} }),
      await yt.invoke({
        operation: "create_issue",
        parameters: { project: "DEMO", summary: "Canary", fields: { Priority: "Major" } },
      }),
      await yt.invoke({
        operation: "update_issue",
        parameters: { issue: "DEMO-2", state: "Open" },
      }),
      await yt.invoke({ operation: "add_comment", parameters: { issue: "DEMO-2", text: "c" } }),
      await yt.invoke({ operation: "search_issues", parameters: { query: "Canary" } }),
      await yt.invoke({ operation: "test", parameters: {} }),
    ];
    for (const outcome of results) seen.push(JSON.stringify(outcome));

    server.echoCredential = true;
    server.failNext("issues.list", 1, failures.unauthorized());
    server.failNext("comments.create", 1, failures.forbidden());
    server.failNext("users.me", 1, failures.unauthorized());
    // Run one after the other: each meets the failure queued for its endpoint.
    const failing = [
      () => yt.invoke({ operation: "search_issues", parameters: {} }),
      () => yt.invoke({ operation: "add_comment", parameters: { issue: "DEMO-1", text: "x" } }),
      () =>
        yt.invoke({ operation: "update_issue", parameters: { issue: "DEMO-1", state: "Nope" } }),
      () => yt.invoke({ operation: "add_comment", parameters: { issue: "DEMO-404", text: "x" } }),
      () => yt.invoke({ operation: "create_issue", parameters: { project: "0-99", summary: "x" } }),
      () => yt.invoke({ operation: "test", parameters: {} }),
    ];
    for (const call of failing) {
      const error = (await call().then(
        () => expect.fail("expected a failure"),
        (e: unknown) => e,
      )) as { message: string; details: unknown };
      // The fake echoed the credential; the service must have masked it.
      expect(error.message).toContain("[redacted]");
      seen.push(error.message, JSON.stringify(error.details));
    }
    const status = await yt.status({ refresh: true });
    seen.push(JSON.stringify(status));
    for (const text of [...seen, captured.logs]) expect(text).not.toContain(TOKEN);
  });
});
