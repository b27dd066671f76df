import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectCode } from "../../helpers/expect-code.js";
import { FakeSlackServer } from "./fake-slack-server.js";
import { captured, slackAt, TOKEN } from "./slack-harness.js";

let server: FakeSlackServer;

beforeAll(async () => {
  server = await new FakeSlackServer(TOKEN).start();
});
afterAll(() => server.close());
afterEach(() => {
  expect(captured.logs).not.toContain(TOKEN);
});

const TS = /^\d+\.\d{6}$/;

describe("send_message", () => {
  it("runs the documented example verbatim: #name and message", async () => {
    const outcome = await slackAt(server).invoke({
      operation: "send_message",
      parameters: { channel: "#development", message: "Deployment completed successfully!" },
    });
    expect(outcome).toMatchObject({ tries: 1, replayed: false });
    expect(outcome.result).toEqual({
      channel: "C0DEVELOP1",
      ts: expect.stringMatching(TS),
      thread_ts: null,
    });
    const sent = server.calls("chat.postMessage").at(-1);
    expect(sent?.httpMethod).toBe("POST");
    expect(sent?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(sent?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent?.args).toMatchObject({
      channel: "#development",
      text: "Deployment completed successfully!",
    });
    expect(server.workspace.channel("C0DEVELOP1")?.messages.at(-1)).toMatchObject({
      text: "Deployment completed successfully!",
      ts: (outcome.result as { ts: string }).ts,
    });
  });

  it("posts blocks with a fallback text as a thread reply", async () => {
    const slack = slackAt(server);
    const parent = await slack.invoke({
      operation: "send_message",
      parameters: { channel: "C0GENERAL1", text: "Release 1.2" },
    });
    const { ts } = parent.result as { ts: string };
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*All green*" } }];
    const reply = await slack.invoke({
      operation: "send_message",
      parameters: {
        channel: "C0GENERAL1",
        text: "All green",
        blocks,
        thread_ts: ts,
        reply_broadcast: true,
      },
    });
    expect(reply.result).toEqual({
      channel: "C0GENERAL1",
      ts: expect.stringMatching(TS),
      thread_ts: ts,
    });
    const sent = server.calls("chat.postMessage").at(-1);
    expect(JSON.parse(String(sent?.args.blocks))).toEqual(blocks);
    expect(sent?.args).toMatchObject({ thread_ts: ts, reply_broadcast: "true", text: "All green" });
    expect(server.workspace.channel("C0GENERAL1")?.messages.at(-1)).toMatchObject({
      thread_ts: ts,
      blocks,
    });
  });

  it("names the parameter that is wrong, before calling Slack", async () => {
    const slack = slackAt(server);
    const before = server.requests.length;
    const none = await expectCode(
      slack.invoke({ operation: "send_message", parameters: { channel: "#general" } }),
      "invalid_argument",
    );
    expect(none.message).toBe(
      "parameters.text (or its alias parameters.message) or parameters.blocks is required",
    );
    const both = await expectCode(
      slack.invoke({
        operation: "send_message",
        parameters: { channel: "#general", text: "a", message: "b" },
      }),
      "invalid_argument",
    );
    expect(both.details.field).toBe("parameters.message");
    const missing = await expectCode(
      slack.invoke({ operation: "send_message", parameters: { text: "hi" } }),
      "invalid_argument",
    );
    expect(missing.message).toBe("parameters.channel is required");
    const extra = await expectCode(
      slack.invoke({
        operation: "send_message",
        parameters: { channel: "#a", text: "x", as_user: true },
      }),
      "invalid_argument",
    );
    expect(extra.message).toBe("parameters.as_user is not a known field");
    const ts = await expectCode(
      slack.invoke({
        operation: "send_message",
        parameters: { channel: "#a", text: "x", thread_ts: "yesterday" },
      }),
      "invalid_argument",
    );
    expect(ts.details.field).toBe("parameters.thread_ts");
    expect(server.requests.length).toBe(before);
  });

  it("says the bot must be invited when it is not in the channel (permission denied)", async () => {
    const error = await expectCode(
      slackAt(server).invoke({
        operation: "send_message",
        parameters: { channel: "C0RANDOM01", text: "hello" },
      }),
      "permission_denied",
    );
    expect(error.message).toContain("slack: not_in_channel");
    expect(error.message).toContain("invite it first");
    expect(error.details).toMatchObject({
      integration: "slack",
      reason: "permission_denied",
      slack_error: "not_in_channel",
    });
  });

  it("reports a channel that does not exist, or that the bot cannot see, as not found", async () => {
    const slack = slackAt(server);
    for (const channel of ["#no-such-channel", "C0SECRET01"]) {
      const error = await expectCode(
        slack.invoke({ operation: "send_message", parameters: { channel, text: "x" } }),
        "not_found",
      );
      expect(error.message).toContain("channel_not_found");
      expect(error.details.reason).toBe("not_found");
    }
  });

  it("posts once per idempotency key: a repeat returns the first message", async () => {
    const slack = slackAt(server);
    const before = server.calls("chat.postMessage").length;
    const call = () =>
      slack.invoke({
        operation: "send_message",
        parameters: { channel: "#general", text: "once" },
        idempotencyKey: "deploy-42",
      });
    const first = await call();
    const again = await call();
    expect(again).toMatchObject({ replayed: true, result: first.result });
    expect(server.calls("chat.postMessage").length - before).toBe(1);
  });
});
