import type { RemoteFailure } from "../framework/remote-errors.js";

/** What one of Slack's `error` codes means for the caller. */
export interface SlackErrorMeaning {
  reason: RemoteFailure;
  /** Said after the code, e.g. "channel_not_found: the channel does not exist ...". */
  says: string;
}

const meaning = (reason: RemoteFailure, says: string): SlackErrorMeaning => ({ reason, says });

const fallback = meaning("remote_error", "Slack refused the call");

/**
 * Slack answers HTTP 200 with `{"ok": false, "error": "<code>"}` for every API error; these
 * are the codes of the methods this plugin calls (https://docs.slack.dev/reference/methods).
 */
const MEANINGS: Readonly<Record<string, SlackErrorMeaning>> = {
  not_authed: meaning("bad_credentials", "no token was sent (set SLACK_BOT_TOKEN)"),
  invalid_auth: meaning("bad_credentials", "the token (SLACK_BOT_TOKEN) is not valid"),
  account_inactive: meaning("bad_credentials", "the token's user or workspace is deactivated"),
  token_revoked: meaning("bad_credentials", "the token (SLACK_BOT_TOKEN) was revoked"),
  token_expired: meaning("bad_credentials", "the token (SLACK_BOT_TOKEN) has expired"),
  missing_scope: meaning("permission_denied", "the token lacks a scope this method needs"),
  not_allowed_token_type: meaning(
    "permission_denied",
    "this method does not accept this kind of token (use a bot token, xoxb-)",
  ),
  no_permission: meaning("permission_denied", "the token may not do this"),
  access_denied: meaning("permission_denied", "access to this resource is denied"),
  ekm_access_denied: meaning("permission_denied", "the workspace's key management denied access"),
  team_access_not_granted: meaning("permission_denied", "the token may not act in that workspace"),
  restricted_action: meaning("permission_denied", "the workspace's settings forbid this action"),
  not_in_channel: meaning(
    "permission_denied",
    "the bot is not a member of the channel; invite it first (/invite @<bot> in the channel)",
  ),
  cant_invite: meaning("permission_denied", "the user cannot be invited to this channel"),
  channel_not_found: meaning(
    "not_found",
    "the channel does not exist or the bot cannot see it (a private channel needs the bot invited)",
  ),
  user_not_found: meaning("not_found", "no such user"),
  users_not_found: meaning("not_found", "no user has that email address"),
  thread_not_found: meaning("not_found", "no message with that thread_ts in the channel"),
  message_not_found: meaning("not_found", "no such message"),
  file_not_found: meaning("not_found", "no such file"),
  ratelimited: meaning("rate_limited", "too many calls of this method"),
  rate_limited: meaning("rate_limited", "too many calls of this method"),
  message_limit_exceeded: meaning("rate_limited", "too many messages for the workspace's plan"),
  name_taken: meaning("conflict", "a channel with that name already exists"),
  already_in_channel: meaning("conflict", "the user is already a member of the channel"),
  is_archived: meaning("conflict", "the channel is archived"),
  invalid_arguments: meaning("invalid_request", "the arguments were refused"),
  invalid_blocks: meaning("invalid_request", "the blocks are not valid Block Kit"),
  invalid_blocks_format: meaning("invalid_request", "blocks must be an array of block objects"),
  no_text: meaning("invalid_request", "the message has no text and no blocks"),
  msg_too_long: meaning("invalid_request", "the message text is too long (40,000 characters)"),
  too_many_attachments: meaning("invalid_request", "too many attachments"),
  invalid_name: meaning("invalid_request", "the channel name is not valid"),
  invalid_name_required: meaning("invalid_request", "a channel name is required"),
  invalid_name_punctuation: meaning("invalid_request", "a channel name cannot be only punctuation"),
  invalid_name_maxlength: meaning(
    "invalid_request",
    "the channel name is longer than 80 characters",
  ),
  invalid_name_specials: meaning(
    "invalid_request",
    "channel names may hold only lower case letters, digits, hyphens and underscores",
  ),
  invalid_cursor: meaning("invalid_request", "the cursor is not valid (pass next_cursor as given)"),
  invalid_limit: meaning("invalid_request", "the limit is out of range"),
  invalid_types: meaning("invalid_request", "unknown conversation types"),
  cant_invite_self: meaning("invalid_request", "the bot cannot invite itself"),
  no_user: meaning("invalid_request", "no user was given"),
  too_many_users: meaning("invalid_request", "at most 1000 users may be invited at once"),
  invalid_email: meaning("invalid_request", "the email address is not valid"),
  fatal_error: meaning("unavailable", "Slack failed to handle the call"),
  internal_error: meaning("unavailable", "Slack failed to handle the call"),
  service_unavailable: meaning("unavailable", "Slack is unavailable"),
  request_timeout: meaning("unavailable", "Slack received the call truncated or too late"),
};

/** What a code means: listed codes as listed, else by Slack's naming families. */
export function meaningOf(code: string): SlackErrorMeaning {
  const known = MEANINGS[code];
  if (known !== undefined) return known;
  if (code.startsWith("restricted_action"))
    return meaning("permission_denied", "the workspace's settings forbid this action");
  if (code.endsWith("_not_found")) return meaning("not_found", "not found");
  if (code.startsWith("invalid_")) return meaning("invalid_request", "the arguments were refused");
  return fallback;
}
