import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
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

describe("create_channel", () => {
  it("creates public and private channels with the bot as member; a taken name is a conflict", async () => {
    const slack = slackAt(server);
    const pub = await slack.invoke({
      operation: "create_channel",
      parameters: { name: "incident-7" },
    });
    expect(pub.result).toMatchObject({
      id: expect.stringMatching(/^C/),
      name: "incident-7",
      is_private: false,
      is_member: true,
      num_members: 1,
    });
    expect(server.calls("conversations.create").at(-1)?.args).toMatchObject({
      name: "incident-7",
      is_private: "false",
    });
    const priv = await slack.invoke({
      operation: "create_channel",
      parameters: { name: "war-room", is_private: true },
    });
    const created = server.workspace.channelByName("war-room");
    expect(created).toMatchObject({ is_private: true, id: (priv.result as { id: string }).id });
    expect(created?.members.has(server.workspace.bot.userId)).toBe(true);

    const taken = await expectCode(
      slack.invoke({ operation: "create_channel", parameters: { name: "incident-7" } }),
      "failed_precondition",
    );
    expect(taken.message).toContain("name_taken");
    expect(taken.details).toMatchObject({ reason: "conflict", slack_error: "name_taken" });
  });

  it("refuses a name Slack would refuse, naming the parameter", async () => {
    const error = await expectCode(
      slackAt(server).invoke({ operation: "create_channel", parameters: { name: "#Bad Name" } }),
      "invalid_argument",
    );
    expect(error.message).toBe(
      "parameters.name must be a channel name of lower case letters, digits, hyphens and underscores, at most 80 characters, without #",
    );
  });

  it("is permission denied, naming the scope, for a token without it", async () => {
    const limited = `xoxb-limited-${TOKEN}`;
    server.addToken(limited, ["chat:write", "channels:read"]);
    const slack = slackWith({ SLACK_BOT_TOKEN: limited, SLACK_API_URL: server.apiUrl });
    const error = await expectCode(
      slack.invoke({ operation: "create_channel", parameters: { name: "no-scope" } }),
      "permission_denied",
    );
    expect(error.message).toContain("missing_scope");
    expect(error.message).toContain("needed scope: channels:manage");
    expect(server.workspace.channelByName("no-scope")).toBeUndefined();
  });
});

describe("list_channels", () => {
  it("pages with limit and cursor, and lists private channels only when asked", async () => {
    const slack = slackAt(server);
    const first = await slack.invoke({ operation: "list_channels", parameters: { limit: 2 } });
    const page1 = first.result as { channels: { name: string }[]; next_cursor: string | null };
    expect(page1.channels.map((c) => c.name)).toEqual(["general", "development"]);
    expect(page1.next_cursor).toEqual(expect.any(String));
    expect(server.calls("conversations.list").at(-1)?.args).toMatchObject({
      types: "public_channel",
      exclude_archived: "true",
      limit: "2",
    });
    const second = await slack.invoke({
      operation: "list_channels",
      parameters: { limit: 1000, cursor: page1.next_cursor },
    });
    const page2 = second.result as { channels: { name: string }[]; next_cursor: string | null };
    expect(server.calls("conversations.list").at(-1)?.args.cursor).toBe(page1.next_cursor);
    expect(page2.next_cursor).toBeNull();
    const names = page2.channels.map((c) => c.name);
    expect(names).toContain("random");
    expect(names).not.toContain("war-room");

    const all = await slack.invoke({
      operation: "list_channels",
      parameters: { types: ["public_channel", "private_channel"], limit: 1000 },
    });
    const channels = (all.result as { channels: { name: string; is_private: boolean }[] }).channels;
    expect(channels.find((c) => c.name === "war-room")).toMatchObject({ is_private: true });
    // A private channel the bot is not in stays invisible, as in Slack.
    expect(channels.find((c) => c.name === "secret-ops")).toBeUndefined();
  });

  it("refuses a cursor Slack does not know as an invalid request", async () => {
    const error = await expectCode(
      slackAt(server).invoke({ operation: "list_channels", parameters: { cursor: "bm9wZQ==" } }),
      "invalid_argument",
    );
    expect(error.message).toContain("invalid_cursor");
    const type = await expectCode(
      slackAt(server).invoke({ operation: "list_channels", parameters: { types: ["dm"] } }),
      "invalid_argument",
    );
    expect(type.message).toBe(
      "parameters.types[0] must be one of public_channel, private_channel, mpim, im",
    );
  });
});

describe("invite_user", () => {
  it("invites users to a channel named #name, looking its ID up", async () => {
    const outcome = await slackAt(server).invoke({
      operation: "invite_user",
      parameters: { channel: "#development", users: ["U0ADALOVE1", "U0GRACEH01"] },
    });
    expect(outcome.result).toEqual({
      channel: "C0DEVELOP1",
      name: "development",
      invited: ["U0ADALOVE1", "U0GRACEH01"],
    });
    expect(server.calls("conversations.invite").at(-1)?.args).toMatchObject({
      channel: "C0DEVELOP1",
      users: "U0ADALOVE1,U0GRACEH01",
    });
    expect([...(server.workspace.channel("C0DEVELOP1")?.members ?? [])]).toEqual(
      expect.arrayContaining(["U0ADALOVE1", "U0GRACEH01"]),
    );
  });

  it("maps Slack's refusals: already in, no such user, bot not in channel, no such channel", async () => {
    const slack = slackAt(server);
    const invite = (channel: string, users: string[]) =>
      slack.invoke({ operation: "invite_user", parameters: { channel, users } });
    const already = await expectCode(invite("C0GENERAL1", ["U0ADALOVE1"]), "failed_precondition");
    expect(already.message).toContain("already_in_channel");
    const nobody = await expectCode(invite("C0GENERAL1", ["U0NOBODY01"]), "not_found");
    expect(nobody.message).toContain("user_not_found");
    const outside = await expectCode(invite("C0RANDOM01", ["U0GRACEH01"]), "permission_denied");
    expect(outside.message).toContain("not_in_channel");
    const missing = await expectCode(invite("#nowhere", ["U0GRACEH01"]), "not_found");
    expect(missing.message).toContain("no channel named #nowhere");
    const badId = await expectCode(invite("C0GENERAL1", ["ada"]), "invalid_argument");
    expect(badId.message).toBe('parameters.users[0] must be a Slack user ID such as "U0123456789"');
  });
});
