import { Type } from "@sinclair/typebox";

/** A conversation as callers name it: its ID, or "#name" (looked up where Slack needs an ID). */
export const channelParameter = (what: string) =>
  Type.String({
    minLength: 1,
    maxLength: 200,
    description: `${what}: its ID (e.g. "C0123456789") or "#name" (e.g. "#development").`,
  });

/** A message timestamp, Slack's message ID within a channel. */
export const threadTsParameter = () =>
  Type.String({
    pattern: "^[0-9]+\\.[0-9]+$",
    description:
      'a message timestamp such as "1700000000.123456" (the ts of the thread\'s first message; replies go into its thread)',
  });

/** A user ID: U… for users, W… for users of an Enterprise Grid organisation. */
export const userIdParameter = () =>
  Type.String({
    pattern: "^[UW][A-Z0-9]{2,}$",
    description: 'a Slack user ID such as "U0123456789"',
  });
