import { Type } from "@sinclair/typebox";
import { defineOperation } from "../integration.js";
import { resolveChannelId } from "./channel-lookup.js";
import type { SlackClient } from "./client.js";
import { channelParameter, userIdParameter } from "./common-parameters.js";
import { channelSummary } from "./summaries.js";

const CONVERSATION_TYPES = ["public_channel", "private_channel", "mpim", "im"] as const;

/** A plain enum, so a wrong value is told the valid ones. */
const conversationType = Type.Unsafe<(typeof CONVERSATION_TYPES)[number]>({
  type: "string",
  enum: [...CONVERSATION_TYPES],
});

/** create_channel: conversations.create. */
export const createChannel = defineOperation({
  description:
    "Creates a public or private channel (conversations.create); the bot becomes its first member. A name already taken fails with conflict.",
  parameters: Type.Object(
    {
      name: Type.String({
        minLength: 1,
        maxLength: 80,
        pattern: "^[a-z0-9_-]+$",
        description:
          "a channel name of lower case letters, digits, hyphens and underscores, at most 80 characters, without #",
      }),
      is_private: Type.Boolean({ default: false, description: "Create a private channel." }),
    },
    { additionalProperties: false },
  ),
  sideEffect: true,
  run: async (client: SlackClient, p, call) => {
    const created = await client
      .web(call)
      .conversations.create({ name: p.name, is_private: p.is_private });
    return channelSummary(created.channel ?? {});
  },
});

/** list_channels: one page of conversations.list. */
export const listChannels = defineOperation({
  description:
    "Lists conversations the bot can see, one page at a time (conversations.list); pass next_cursor back as cursor for the next page (null after the last).",
  parameters: Type.Object(
    {
      types: Type.Array(conversationType, {
        minItems: 1,
        uniqueItems: true,
        default: ["public_channel"],
        description: `Kinds of conversation: ${CONVERSATION_TYPES.join(", ")}. Default public channels only.`,
      }),
      exclude_archived: Type.Boolean({
        default: true,
        description: "Leave archived channels out.",
      }),
      limit: Type.Integer({
        minimum: 1,
        maximum: 1000,
        default: 100,
        description: "Most channels in this page (Slack may return fewer). Default 100.",
      }),
      cursor: Type.Optional(
        Type.String({ minLength: 1, description: "next_cursor of the previous page." }),
      ),
    },
    { additionalProperties: false },
  ),
  sideEffect: false,
  run: async (client: SlackClient, p, call) => {
    const page = await client.web(call).conversations.list({
      types: p.types.join(","),
      exclude_archived: p.exclude_archived,
      limit: p.limit,
      ...(p.cursor === undefined ? {} : { cursor: p.cursor }),
    });
    const next = page.response_metadata?.next_cursor;
    return {
      channels: (page.channels ?? []).map(channelSummary),
      next_cursor: next === undefined || next === "" ? null : next,
    };
  },
});

/** invite_user: conversations.invite. */
export const inviteUser = defineOperation({
  description:
    "Invites users to a channel the bot is a member of (conversations.invite). Fails with conflict when a user is already in it.",
  parameters: Type.Object(
    {
      channel: channelParameter("The channel to invite to"),
      users: Type.Array(userIdParameter(), {
        minItems: 1,
        maxItems: 1000,
        uniqueItems: true,
        description: 'User IDs to invite, e.g. ["U0123456789"] (lookup_user finds an ID by email).',
      }),
    },
    { additionalProperties: false },
  ),
  sideEffect: true,
  run: async (client: SlackClient, p, call) => {
    const web = client.web(call);
    const channel = await resolveChannelId(web, p.channel);
    const invited = await web.conversations.invite({ channel, users: p.users.join(",") });
    return {
      channel: invited.channel?.id ?? channel,
      name: invited.channel?.name ?? null,
      invited: p.users,
    };
  },
});
