import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { checkPlugin } from "../../../src/integrations/framework/check-plugin.js";
import { BUILT_IN_PLUGINS } from "../../../src/integrations/built-in-plugins.js";
import { slackPlugin } from "../../../src/integrations/slack/index.js";
import { expectCode } from "../../helpers/expect-code.js";
import { FakeSlackServer } from "./fake-slack-server.js";
import { captured, slackAt, slackWith, TOKEN } from "./slack-harness.js";

let server: FakeSlackServer;

beforeAll(async () => {
  server = await new FakeSlackServer(TOKEN).start();
});
afterAll(() => server.close());
afterEach(() => {
  expect(captured.logs).not.toContain(TOKEN);
});

describe("configuration", () => {
  it("is not configured without SLACK_BOT_TOKEN, and says so with 503-style errors", async () => {
    const slack = slackWith({ SLACK_API_URL: server.apiUrl });
    const status = await slack.status();
    expect(status).toMatchObject({ state: "not_configured", missing: ["SLACK_BOT_TOKEN"] });
    expect(status.message).toContain("SLACK_BOT_TOKEN");
    const error = await expectCode(
      slack.invoke({ operation: "send_message", parameters: { channel: "#general", text: "x" } }),
      "unavailable",
    );
    expect(error.message).toBe(
      "slack is not configured: set SLACK_BOT_TOKEN (or integrations.settings.slack.token in the config file)",
    );
    expect(error.details).toMatchObject({ reason: "not_configured", missing: ["SLACK_BOT_TOKEN"] });
  });

  it("is a well-formed built-in plugin", () => {
    expect(checkPlugin(slackPlugin, "slack")).toBe(slackPlugin);
    expect(BUILT_IN_PLUGINS).toContain(slackPlugin);
    expect(slackPlugin.settings.token).toMatchObject({ env: "SLACK_BOT_TOKEN", secret: true });
  });

  it("lists its operations with their side effects", () => {
    const operations = slackAt(server).operations();
    expect(operations.map((o) => [o.name, o.sideEffect])).toEqual([
      ["test", false],
      ["send_message", true],
      ["create_channel", true],
      ["list_channels", false],
      ["invite_user", true],
      ["lookup_user", false],
      ["upload_file", true],
    ]);
  });
});

describe("status and the test operation", () => {
  it("is healthy after auth.test succeeds, and test returns the state", async () => {
    const slack = slackAt(server);
    const status = await slack.status();
    expect(status).toMatchObject({ state: "healthy", message: "", missing: [] });
    const check = server.calls("auth.test").at(-1);
    expect(check?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const outcome = await slack.invoke({ operation: "test", parameters: {} });
    expect(outcome.result).toMatchObject({ state: "healthy" });
  });

  it("is down with bad credentials, which calls report as unauthenticated", async () => {
    const slack = slackWith({
      SLACK_BOT_TOKEN: "xoxb-not-a-real-token",
      SLACK_API_URL: server.apiUrl,
    });
    const status = await slack.status();
    expect(status.state).toBe("down");
    expect(status.message).toContain("invalid_auth");
    const error = await expectCode(
      slack.invoke({ operation: "list_channels", parameters: {} }),
      "unauthenticated",
    );
    expect(error.details).toMatchObject({ integration: "slack", reason: "bad_credentials" });
    expect(error.message).toBe("slack: invalid_auth: the token (SLACK_BOT_TOKEN) is not valid");
  });

  it("reports a revoked token as bad credentials", async () => {
    const revoked = `xoxb-revoked-${TOKEN}`;
    server.addToken(revoked);
    server.revoke(revoked);
    const error = await expectCode(
      slackWith({ SLACK_BOT_TOKEN: revoked, SLACK_API_URL: server.apiUrl }).invoke({
        operation: "test",
        parameters: {},
      }),
      "unauthenticated",
    );
    expect(error.message).toContain("token_revoked");
    expect(error.message).not.toContain(revoked);
  });

  it("says unavailable when Slack cannot be reached", async () => {
    const closed = await new FakeSlackServer(TOKEN).start();
    await closed.close();
    const slack = slackWith({ SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: closed.apiUrl });
    const error = await expectCode(
      slack.invoke({ operation: "send_message", parameters: { channel: "#general", text: "x" } }),
      "unavailable",
    );
    expect(error.message).toContain("ECONNREFUSED");
    expect((await slack.status()).state).toBe("down");
  });
});

describe("rate limits, outages and deadlines", () => {
  it("retries a rate-limited call after Slack's Retry-After", async () => {
    server.failNext("chat.postMessage", 1, { kind: "ratelimited", retryAfterSeconds: 1 });
    const before = server.calls("chat.postMessage").length;
    const started = Date.now();
    const outcome = await slackAt(server).invoke({
      operation: "send_message",
      parameters: { channel: "#general", text: "after the limit" },
    });
    expect(outcome.tries).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.calls("chat.postMessage").length - before).toBe(2);
    expect(server.workspace.channel("C0GENERAL1")?.messages.at(-1)?.text).toBe("after the limit");
  });

  it("fails at once, saying how long to wait, when Retry-After is past the service's limit", async () => {
    server.failNext("conversations.list", 1, { kind: "ratelimited", retryAfterSeconds: 30 });
    const error = await expectCode(
      slackAt(server).invoke({ operation: "list_channels", parameters: {} }),
      "resource_exhausted",
    );
    expect(error.details).toMatchObject({
      reason: "rate_limited",
      retry_after_ms: 30_000,
      remote_status: 429,
    });
    expect(error.message).toContain("ratelimited");
  });

  it("retries an outage for reads but not for a message (it might have been posted)", async () => {
    server.failNext("conversations.list", 1, { kind: "http", status: 503 });
    const read = await slackAt(server).invoke({ operation: "list_channels", parameters: {} });
    expect(read.tries).toBe(2);
    server.failNext("chat.postMessage", 1, { kind: "error", error: "fatal_error" });
    const before = server.calls("chat.postMessage").length;
    const error = await expectCode(
      slackAt(server).invoke({
        operation: "send_message",
        parameters: { channel: "#general", text: "x" },
      }),
      "unavailable",
    );
    expect(error.message).toContain("fatal_error");
    expect(server.calls("chat.postMessage").length - before).toBe(1);
  });

  it("times out at the deadline when Slack does not answer", async () => {
    server.failNext("users.info", 1, { kind: "hang" });
    const started = Date.now();
    const error = await expectCode(
      slackAt(server).invoke({
        operation: "lookup_user",
        parameters: { user_id: "U0ADALOVE1" },
        timeoutMs: 300,
      }),
      "deadline_exceeded",
    );
    expect(error.details.reason).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe("the token never leaks", () => {
  it("is kept out of results, errors and logs, even when Slack echoes it back", async () => {
    const slack = slackAt(server);
    const ok = await slack.invoke({
      operation: "send_message",
      parameters: { channel: "#general", text: "canary" },
    });
    expect(JSON.stringify(ok)).not.toContain(TOKEN);

    server.failNext("chat.postMessage", 1, {
      kind: "error",
      error: "invalid_arguments",
      echoCredential: true,
    });
    const platform = await expectCode(
      slack.invoke({ operation: "send_message", parameters: { channel: "#general", text: "x" } }),
      "invalid_argument",
    );
    expect(platform.message).toContain("[redacted]");

    server.failNext("chat.postMessage", 1, { kind: "http", status: 500, echoCredential: true });
    const http = await expectCode(
      slack.invoke({ operation: "send_message", parameters: { channel: "#general", text: "x" } }),
      "unavailable",
    );
    expect(http.message).toContain("[redacted]");

    server.failNext("conversations.list", 1, {
      kind: "ratelimited",
      retryAfterSeconds: 30,
      echoCredential: true,
    });
    const limited = await expectCode(
      slack.invoke({ operation: "list_channels", parameters: {} }),
      "resource_exhausted",
    );

    for (const error of [platform, http, limited]) {
      expect(JSON.stringify(error.toJSON())).not.toContain(TOKEN);
    }
    // The library logged Slack's [ERROR] message carrying the token: masked there too.
    expect(captured.logs).toContain("[ERROR] refused");
    expect(captured.logs).toContain("[redacted]");
  });
});
