/** A user of the fake workspace. */
export interface FakeUser {
  id: string;
  name: string;
  real_name: string;
  email: string;
  is_bot: boolean;
  deleted: boolean;
}

/** A message as Slack stores it. */
export interface FakeMessage {
  type: "message";
  ts: string;
  user: string;
  bot_id?: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  reply_broadcast?: boolean;
  files?: string[];
}

/** A conversation (public or private channel). */
export interface FakeChannel {
  id: string;
  name: string;
  is_private: boolean;
  is_archived: boolean;
  created: number;
  creator: string;
  members: Set<string>;
  topic: string;
  purpose: string;
  messages: FakeMessage[];
}

/** A file, from its upload URL being handed out to its sharing. */
export interface FakeFile {
  id: string;
  name: string;
  title: string;
  length: number;
  uploadKey: string;
  data: Buffer | undefined;
  completed: boolean;
  user: string;
  created: number;
  channels: string[];
}

/**
 * The state of a fake Slack workspace: a team, users (one of them the bot), channels with
 * their members and messages, and files. Seeded with channels and users tests can rely on.
 */
export class FakeSlackWorkspace {
  readonly team = { id: "T0FAKETEAM", name: "Fake Team", domain: "fake-team" };
  readonly bot = { userId: "U0BOTUSER1", botId: "B0BOTAPP01", name: "deploybot" };
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly files = new Map<string, FakeFile>();
  private counter = 0;
  private lastTs = 0;

  constructor() {
    this.addUser({
      id: this.bot.userId,
      name: this.bot.name,
      real_name: "Deploy Bot",
      email: "",
      is_bot: true,
    });
    this.addUser({
      id: "U0ADALOVE1",
      name: "ada",
      real_name: "Ada Lovelace",
      email: "ada@example.com",
    });
    this.addUser({
      id: "U0GRACEH01",
      name: "grace",
      real_name: "Grace Hopper",
      email: "grace@example.com",
    });
    this.addChannel({
      id: "C0GENERAL1",
      name: "general",
      members: [this.bot.userId, "U0ADALOVE1"],
    });
    this.addChannel({ id: "C0DEVELOP1", name: "development", members: [this.bot.userId] });
    this.addChannel({ id: "C0RANDOM01", name: "random", members: ["U0ADALOVE1"] });
    this.addChannel({
      id: "C0SECRET01",
      name: "secret-ops",
      is_private: true,
      members: ["U0ADALOVE1"],
    });
  }

  addUser(user: Partial<FakeUser> & { id: string; name: string }): FakeUser {
    const full: FakeUser = {
      real_name: user.name,
      email: "",
      is_bot: false,
      deleted: false,
      ...user,
    };
    this.users.set(full.id, full);
    return full;
  }

  addChannel(channel: {
    id?: string;
    name: string;
    is_private?: boolean;
    is_archived?: boolean;
    members?: string[];
    creator?: string;
  }): FakeChannel {
    const full: FakeChannel = {
      id: channel.id ?? this.newId("C"),
      name: channel.name,
      is_private: channel.is_private ?? false,
      is_archived: channel.is_archived ?? false,
      created: Math.floor(Date.now() / 1000),
      creator: channel.creator ?? "U0ADALOVE1",
      members: new Set(channel.members ?? []),
      topic: "",
      purpose: "",
      messages: [],
    };
    this.channels.set(full.id, full);
    return full;
  }

  /** A channel by ID, "#name" or name, as chat.postMessage accepts. */
  channel(ref: string): FakeChannel | undefined {
    const byId = this.channels.get(ref);
    if (byId !== undefined) return byId;
    const name = ref.startsWith("#") ? ref.slice(1) : ref;
    return [...this.channels.values()].find((c) => c.name === name);
  }

  channelByName(name: string): FakeChannel | undefined {
    return [...this.channels.values()].find((c) => c.name === name);
  }

  /** Whether `user` may see `channel`: public channels are seen by all, private by members. */
  canSee(channel: FakeChannel, user: string): boolean {
    return !channel.is_private || channel.members.has(user);
  }

  userByEmail(email: string): FakeUser | undefined {
    return [...this.users.values()].find((u) => u.email.toLowerCase() === email.toLowerCase());
  }

  /** IDs as Slack makes them: a letter and upper case letters and digits. */
  newId(prefix: string): string {
    this.counter += 1;
    return `${prefix}0${this.counter.toString(36).toUpperCase().padStart(8, "0")}`;
  }

  /** Message timestamps: seconds.microseconds, unique and increasing within the workspace. */
  newTs(): string {
    const now = Date.now() * 1000;
    this.lastTs = Math.max(now, this.lastTs + 1);
    return `${Math.floor(this.lastTs / 1_000_000)}.${String(this.lastTs % 1_000_000).padStart(6, "0")}`;
  }

  /** A conversation object as conversations.* methods return it. */
  channelJson(channel: FakeChannel, viewer: string): Record<string, unknown> {
    return {
      id: channel.id,
      name: channel.name,
      is_channel: !channel.is_private,
      is_group: channel.is_private,
      is_im: false,
      is_mpim: false,
      is_private: channel.is_private,
      created: channel.created,
      creator: channel.creator,
      is_archived: channel.is_archived,
      is_general: channel.name === "general",
      unlinked: 0,
      name_normalized: channel.name,
      is_shared: false,
      is_org_shared: false,
      is_ext_shared: false,
      is_pending_ext_shared: false,
      pending_shared: [],
      context_team_id: this.team.id,
      is_member: channel.members.has(viewer),
      num_members: channel.members.size,
      topic: { value: channel.topic, creator: "", last_set: 0 },
      purpose: { value: channel.purpose, creator: "", last_set: 0 },
      previous_names: [],
    };
  }

  /** A user object as users.info returns it; the email only with users:read.email. */
  userJson(user: FakeUser, withEmail: boolean): Record<string, unknown> {
    return {
      id: user.id,
      team_id: this.team.id,
      name: user.name,
      deleted: user.deleted,
      real_name: user.real_name,
      tz: "Europe/London",
      tz_label: "Greenwich Mean Time",
      tz_offset: 0,
      is_admin: false,
      is_owner: false,
      is_bot: user.is_bot,
      is_app_user: false,
      updated: 1_700_000_000,
      profile: {
        real_name: user.real_name,
        display_name: user.name,
        title: "",
        ...(withEmail && user.email !== "" ? { email: user.email } : {}),
        team: this.team.id,
      },
    };
  }
}
