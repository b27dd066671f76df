import { definePlugin } from "../integration.js";
import { createChannel, inviteUser, listChannels } from "./channel-operations.js";
import { createSlackClient, DEFAULT_API_URL, type SlackClient } from "./client.js";
import { mapSlackError } from "./errors.js";
import { uploadFile } from "./file-operations.js";
import { sendMessage } from "./message-operations.js";
import { lookupUser } from "./user-operations.js";

/** Slack through its Web API with a bot token. */
export const slackPlugin = definePlugin<SlackClient>({
  name: "slack",
  description:
    "Slack workspace through the Web API with a bot token: messages, channels, invitations, users and file uploads.",
  settings: {
    token: {
      env: "SLACK_BOT_TOKEN",
      description: "Bot User OAuth Token of the Slack app (xoxb-...).",
      required: true,
      secret: true,
    },
    apiUrl: {
      env: "SLACK_API_URL",
      description: "Base URL of the Web API, ending with /api/.",
      default: DEFAULT_API_URL,
    },
  },
  connect: (settings) => createSlackClient(settings),
  check: async (client, call) => {
    const auth = await client.web(call).auth.test();
    return {
      team: auth.team ?? null,
      team_id: auth.team_id ?? null,
      user: auth.user ?? null,
      user_id: auth.user_id ?? null,
      bot_id: auth.bot_id ?? null,
      url: auth.url ?? null,
    };
  },
  operations: {
    send_message: sendMessage,
    create_channel: createChannel,
    list_channels: listChannels,
    invite_user: inviteUser,
    lookup_user: lookupUser,
    upload_file: uploadFile,
  },
  mapError: mapSlackError,
});
