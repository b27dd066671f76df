import type { WebClient } from "@slack/web-api";
import { remoteError } from "../framework/remote-errors.js";

const PAGE_SIZE = 200;

/**
 * The ID of a conversation given as an ID or as "#name". Methods such as conversations.invite
 * and files.completeUploadExternal take only IDs, so a name is looked up among the public and
 * private channels the bot can see (which needs the channels:read and groups:read scopes).
 */
export async function resolveChannelId(web: WebClient, channel: string): Promise<string> {
  if (!channel.startsWith("#")) return channel;
  const name = channel.slice(1).toLowerCase();
  let cursor: string | undefined;
  do {
    const page = await web.conversations.list({
      types: "public_channel,private_channel",
      exclude_archived: true,
      limit: PAGE_SIZE,
      ...(cursor === undefined ? {} : { cursor }),
    });
    const found = page.channels?.find((c) => c.name === name || c.name_normalized === name);
    if (found?.id !== undefined) return found.id;
    const next = page.response_metadata?.next_cursor;
    cursor = next === undefined || next === "" ? undefined : next;
  } while (cursor !== undefined);
  throw remoteError(
    "slack",
    "not_found",
    `channel_not_found: no channel named #${name} that the bot can see (a private channel needs the bot invited)`,
  );
}
