import type { JsonObject } from "../../domain/index.js";

/** The fields of a conversation worth returning (Slack's object has dozens). */
export interface ChannelFields {
  id?: string;
  name?: string;
  is_private?: boolean;
  is_archived?: boolean;
  is_member?: boolean;
  is_im?: boolean;
  is_mpim?: boolean;
  num_members?: number;
  created?: number;
  topic?: { value?: string };
  purpose?: { value?: string };
}

export function channelSummary(channel: ChannelFields): JsonObject {
  return {
    id: channel.id ?? null,
    name: channel.name ?? null,
    is_private: channel.is_private ?? false,
    is_archived: channel.is_archived ?? false,
    is_member: channel.is_member ?? false,
    ...(channel.is_im === true ? { is_im: true } : {}),
    ...(channel.is_mpim === true ? { is_mpim: true } : {}),
    num_members: channel.num_members ?? null,
    created: channel.created ?? null,
    topic: channel.topic?.value ?? "",
    purpose: channel.purpose?.value ?? "",
  };
}

/** The fields of a user worth returning. */
export interface UserFields {
  id?: string;
  team_id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_admin?: boolean;
  tz?: string;
  profile?: { display_name?: string; real_name?: string; email?: string; title?: string };
}

export function userSummary(user: UserFields): JsonObject {
  return {
    id: user.id ?? null,
    team_id: user.team_id ?? null,
    name: user.name ?? null,
    real_name: user.real_name ?? user.profile?.real_name ?? null,
    display_name: user.profile?.display_name ?? null,
    email: user.profile?.email ?? null,
    title: user.profile?.title ?? null,
    is_bot: user.is_bot ?? false,
    is_admin: user.is_admin ?? false,
    deleted: user.deleted ?? false,
    tz: user.tz ?? null,
  };
}
