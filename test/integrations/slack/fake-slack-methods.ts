import { booleanArg, type FormFile, jsonArg, stringArg } from "./fake-slack-body.js";
import type { FakeChannel, FakeSlackWorkspace } from "./fake-slack-workspace.js";

/** An `{"ok": false, "error": ...}` answer (Slack sends these with HTTP 200). */
export class SlackApiError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

/** What a method handler gets. */
export interface MethodContext {
  args: Record<string, unknown>;
  files: FormFile[];
  scopes: ReadonlySet<string>;
  workspace: FakeSlackWorkspace;
  /** Where this server is reached, for upload URLs. */
  baseUrl: string;
}

/** One Web API method: the scopes it needs for these arguments, and what it does. */
export interface FakeMethod {
  scopes(args: Record<string, unknown>, workspace: FakeSlackWorkspace): string[];
  run(ctx: MethodContext): Record<string, unknown>;
}

const invalidArguments = (field: string) =>
  new SlackApiError("invalid_arguments", {
    response_metadata: { messages: [`[ERROR] missing required field: ${field}`] },
  });

const MAX_TEXT = 40_000;
const TYPE_SCOPES: Readonly<Record<string, string>> = {
  public_channel: "channels:read",
  private_channel: "groups:read",
  mpim: "mpim:read",
  im: "im:read",
};

/** The channel named by `channel`, visible to the bot, else channel_not_found. */
function visibleChannel(ctx: MethodContext, key = "channel", byName = false): FakeChannel {
  const ref = stringArg(ctx.args, key);
  const channel =
    ref === undefined
      ? undefined
      : byName
        ? ctx.workspace.channel(ref)
        : ctx.workspace.channels.get(ref);
  if (channel === undefined || !ctx.workspace.canSee(channel, ctx.workspace.bot.userId))
    throw new SlackApiError("channel_not_found");
  return channel;
}

function requireMember(ctx: MethodContext, channel: FakeChannel): void {
  if (channel.is_archived) throw new SlackApiError("is_archived");
  if (!channel.members.has(ctx.workspace.bot.userId)) throw new SlackApiError("not_in_channel");
}

function checkChannelName(name: string | undefined): string {
  if (name === undefined) throw new SlackApiError("invalid_name_required");
  if (name.length > 80) throw new SlackApiError("invalid_name_maxlength");
  if (/^[-_]+$/.test(name)) throw new SlackApiError("invalid_name_punctuation");
  if (!/^[a-z0-9_-]+$/.test(name)) throw new SlackApiError("invalid_name_specials");
  return name;
}

const postMessage: FakeMethod = {
  scopes: () => ["chat:write"],
  run: (ctx) => {
    const { workspace, args } = ctx;
    const channel = visibleChannel(ctx, "channel", true);
    const publicPost = !channel.is_private && ctx.scopes.has("chat:write.public");
    if (channel.is_archived) throw new SlackApiError("is_archived");
    if (!publicPost) requireMember(ctx, channel);
    const blocks = jsonArg(args, "blocks");
    const text = stringArg(args, "text") ?? "";
    if (blocks !== undefined && !Array.isArray(blocks))
      throw new SlackApiError("invalid_blocks_format");
    if (Array.isArray(blocks)) {
      const bad = blocks.findIndex((b) => typeof (b as { type?: unknown })?.type !== "string");
      if (bad !== -1)
        throw new SlackApiError("invalid_blocks", {
          errors: [`missing required field: type [json-pointer:/blocks/${bad}]`],
        });
    }
    if (text === "" && (blocks === undefined || (blocks as unknown[]).length === 0))
      throw new SlackApiError("no_text");
    if (text.length > MAX_TEXT) throw new SlackApiError("msg_too_long");
    const threadTs = stringArg(args, "thread_ts");
    const message = {
      type: "message" as const,
      ts: workspace.newTs(),
      user: workspace.bot.userId,
      bot_id: workspace.bot.botId,
      text,
      ...(Array.isArray(blocks) ? { blocks } : {}),
      ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
      ...(booleanArg(args, "reply_broadcast") === true ? { reply_broadcast: true } : {}),
    };
    channel.messages.push(message);
    return {
      channel: channel.id,
      ts: message.ts,
      message: { ...message, app_id: "A0FAKEAPP1", team: workspace.team.id },
    };
  },
};

const create: FakeMethod = {
  scopes: (args) => [booleanArg(args, "is_private") === true ? "groups:write" : "channels:manage"],
  run: (ctx) => {
    const { workspace } = ctx;
    const name = checkChannelName(stringArg(ctx.args, "name"));
    if (workspace.channelByName(name) !== undefined) throw new SlackApiError("name_taken");
    const channel = workspace.addChannel({
      id: workspace.newId("C"),
      name,
      is_private: booleanArg(ctx.args, "is_private") === true,
      members: [workspace.bot.userId],
      creator: workspace.bot.userId,
    });
    return { channel: workspace.channelJson(channel, workspace.bot.userId) };
  },
};

function typesOf(args: Record<string, unknown>): string[] {
  return (stringArg(args, "types") ?? "public_channel").split(",").map((t) => t.trim());
}

const list: FakeMethod = {
  scopes: (args) => typesOf(args).flatMap((t) => (TYPE_SCOPES[t] ? [TYPE_SCOPES[t]] : [])),
  run: (ctx) => {
    const { workspace, args } = ctx;
    const types = typesOf(args);
    if (types.some((t) => TYPE_SCOPES[t] === undefined)) throw new SlackApiError("invalid_types");
    const limit = Number(stringArg(args, "limit") ?? "100");
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new SlackApiError("invalid_limit");
    const cursor = stringArg(args, "cursor");
    let offset = 0;
    if (cursor !== undefined) {
      const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"));
      if (match?.[1] === undefined) throw new SlackApiError("invalid_cursor");
      offset = Number(match[1]);
    }
    const excludeArchived = booleanArg(args, "exclude_archived") === true;
    const matching = [...workspace.channels.values()].filter(
      (c) =>
        workspace.canSee(c, workspace.bot.userId) &&
        types.includes(c.is_private ? "private_channel" : "public_channel") &&
        !(excludeArchived && c.is_archived),
    );
    const page = matching.slice(offset, offset + limit);
    const more = offset + limit < matching.length;
    return {
      channels: page.map((c) => workspace.channelJson(c, workspace.bot.userId)),
      response_metadata: {
        next_cursor: more ? Buffer.from(`offset:${offset + limit}`).toString("base64") : "",
      },
    };
  },
};

const invite: FakeMethod = {
  scopes: (args, workspace) => [
    workspace.channels.get(stringArg(args, "channel") ?? "")?.is_private === true
      ? "groups:write"
      : "channels:manage",
  ],
  run: (ctx) => {
    const { workspace } = ctx;
    const channel = visibleChannel(ctx);
    const users = (stringArg(ctx.args, "users") ?? "").split(",").filter((u) => u !== "");
    if (users.length === 0) throw new SlackApiError("no_user");
    if (users.length > 1000) throw new SlackApiError("too_many_users");
    requireMember(ctx, channel);
    for (const user of users) {
      const error =
        user === workspace.bot.userId
          ? "cant_invite_self"
          : !workspace.users.has(user)
            ? "user_not_found"
            : channel.members.has(user)
              ? "already_in_channel"
              : undefined;
      if (error !== undefined)
        throw new SlackApiError(error, { errors: [{ user, ok: false, error }] });
    }
    for (const user of users) channel.members.add(user);
    return { channel: workspace.channelJson(channel, workspace.bot.userId) };
  },
};

const usersInfo: FakeMethod = {
  scopes: () => ["users:read"],
  run: (ctx) => {
    const user = ctx.workspace.users.get(stringArg(ctx.args, "user") ?? "");
    if (user === undefined) throw new SlackApiError("user_not_found");
    return { user: ctx.workspace.userJson(user, ctx.scopes.has("users:read.email")) };
  },
};

const lookupByEmail: FakeMethod = {
  scopes: () => ["users:read.email"],
  run: (ctx) => {
    const email = stringArg(ctx.args, "email");
    if (email === undefined) throw invalidArguments("email");
    const user = ctx.workspace.userByEmail(email);
    if (user === undefined || user.deleted) throw new SlackApiError("users_not_found");
    return { user: ctx.workspace.userJson(user, true) };
  },
};

const authTest: FakeMethod = {
  scopes: () => [],
  run: ({ workspace }) => ({
    url: `https://${workspace.team.domain}.slack.com/`,
    team: workspace.team.name,
    user: workspace.bot.name,
    team_id: workspace.team.id,
    user_id: workspace.bot.userId,
    bot_id: workspace.bot.botId,
    is_enterprise_install: false,
  }),
};

/** The Web API methods the fake speaks, by name. Files are in fake-slack-files. */
export const CORE_METHODS: Readonly<Record<string, FakeMethod>> = {
  "auth.test": authTest,
  "chat.postMessage": postMessage,
  "conversations.create": create,
  "conversations.list": list,
  "conversations.invite": invite,
  "users.info": usersInfo,
  "users.lookupByEmail": lookupByEmail,
};

export { invalidArguments, requireMember, visibleChannel };
