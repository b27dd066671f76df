import { Type } from "@sinclair/typebox";
import type { ChatPostMessageArguments } from "@slack/web-api";
import { AppError } from "../../domain/index.js";
import { defineOperation } from "../integration.js";
import type { SlackClient } from "./client.js";
import { channelParameter, threadTsParameter } from "./common-parameters.js";

/** Slack refuses longer message text (msg_too_long). */
const MAX_TEXT = 40_000;

const sendMessageParameters = Type.Object(
  {
    channel: channelParameter(
      "Where to post: a channel the bot is in (a user ID sends a direct message)",
    ),
    text: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: MAX_TEXT,
        description:
          "The message, in Slack mrkdwn. With blocks, it is the notification fallback. Text, message or blocks is required.",
      }),
    ),
    message: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: MAX_TEXT,
        description: "Another name for text (give one of them).",
      }),
    ),
    blocks: Type.Optional(
      Type.Array(
        Type.Object(
          { type: Type.String({ minLength: 1, description: 'The block type, e.g. "section".' }) },
          { additionalProperties: true },
        ),
        {
          minItems: 1,
          maxItems: 50,
          description: "Block Kit blocks (https://docs.slack.dev/reference/block-kit/blocks).",
        },
      ),
    ),
    thread_ts: Type.Optional(threadTsParameter()),
    reply_broadcast: Type.Optional(
      Type.Boolean({
        description: "With thread_ts: also show the reply in the channel. Default false.",
      }),
    ),
  },
  { additionalProperties: false },
);

/** send_message: chat.postMessage. */
export const sendMessage = defineOperation({
  description:
    'Posts a message to a channel (by ID or "#name"), optionally as a thread reply (chat.postMessage). Returns the channel ID and the message ts.',
  parameters: sendMessageParameters,
  sideEffect: true,
  run: async (client: SlackClient, p, call) => {
    if (p.text !== undefined && p.message !== undefined) {
      throw AppError.invalidArgument(
        "parameters.message",
        "parameters.message is another name for parameters.text: give one of them, not both",
      );
    }
    const text = p.text ?? p.message;
    if (text === undefined && p.blocks === undefined) {
      throw AppError.invalidArgument(
        "parameters.text",
        "parameters.text (or its alias parameters.message) or parameters.blocks is required",
      );
    }
    if (p.reply_broadcast === true && p.thread_ts === undefined) {
      throw AppError.invalidArgument(
        "parameters.reply_broadcast",
        "parameters.reply_broadcast needs parameters.thread_ts",
      );
    }
    const thread =
      p.thread_ts === undefined
        ? {}
        : { thread_ts: p.thread_ts, reply_broadcast: p.reply_broadcast ?? false };
    const content =
      p.blocks === undefined
        ? { text: text ?? "" }
        : { blocks: p.blocks, ...(text === undefined ? {} : { text }) };
    const args: ChatPostMessageArguments = { channel: p.channel, ...content, ...thread };
    const posted = await client.web(call).chat.postMessage(args);
    return {
      channel: posted.channel ?? p.channel,
      ts: posted.ts ?? null,
      thread_ts: posted.message?.thread_ts ?? p.thread_ts ?? null,
    };
  },
});
