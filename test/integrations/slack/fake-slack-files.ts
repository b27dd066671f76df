import { randomBytes } from "node:crypto";
import { jsonArg, stringArg } from "./fake-slack-body.js";
import {
  type FakeMethod,
  invalidArguments,
  type MethodContext,
  requireMember,
  SlackApiError,
  visibleChannel,
} from "./fake-slack-methods.js";
import type { FakeFile, FakeSlackWorkspace } from "./fake-slack-workspace.js";

/**
 * files.getUploadURLExternal: reserves a file and hands out a URL (on this server, as Slack's
 * is on files.slack.com) to POST its bytes to.
 */
const getUploadUrl: FakeMethod = {
  scopes: () => ["files:write"],
  run: (ctx) => {
    const filename = stringArg(ctx.args, "filename");
    if (filename === undefined) throw invalidArguments("filename");
    const lengthArg = stringArg(ctx.args, "length");
    if (lengthArg === undefined) throw invalidArguments("length");
    const length = Number(lengthArg);
    if (!Number.isInteger(length) || length < 1)
      throw new SlackApiError("invalid_arguments", {
        response_metadata: { messages: ["[ERROR] length must be a positive integer"] },
      });
    const file: FakeFile = {
      id: ctx.workspace.newId("F"),
      name: filename,
      title: filename,
      length,
      uploadKey: randomBytes(12).toString("hex"),
      data: undefined,
      completed: false,
      user: ctx.workspace.bot.userId,
      created: Math.floor(Date.now() / 1000),
      channels: [],
    };
    ctx.workspace.files.set(file.id, file);
    return { upload_url: `${ctx.baseUrl}/upload/v1/${file.uploadKey}`, file_id: file.id };
  },
};

/** files.completeUploadExternal: finishes uploads and shares them in one conversation. */
const completeUpload: FakeMethod = {
  scopes: () => ["files:write"],
  run: (ctx) => {
    const { workspace } = ctx;
    const list = jsonArg(ctx.args, "files");
    if (!Array.isArray(list) || list.length === 0) throw invalidArguments("files");
    const files = list.map((entry: unknown) => {
      const { id, title } = (entry ?? {}) as { id?: unknown; title?: unknown };
      const file = typeof id === "string" ? workspace.files.get(id) : undefined;
      if (file === undefined || file.data === undefined) throw new SlackApiError("file_not_found");
      if (typeof title === "string" && title !== "") file.title = title;
      return file;
    });
    const channelKey = stringArg(ctx.args, "channel_id") !== undefined ? "channel_id" : "channels";
    const threadTs = stringArg(ctx.args, "thread_ts");
    if (stringArg(ctx.args, channelKey) !== undefined) {
      const channel = visibleChannel(ctx, channelKey);
      requireMember(ctx, channel);
      channel.messages.push({
        type: "message",
        ts: workspace.newTs(),
        user: workspace.bot.userId,
        bot_id: workspace.bot.botId,
        text: stringArg(ctx.args, "initial_comment") ?? "",
        files: files.map((f) => f.id),
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
      });
      for (const file of files) file.channels.push(channel.id);
    } else if (threadTs !== undefined) {
      throw new SlackApiError("invalid_arguments", {
        response_metadata: { messages: ["[ERROR] thread_ts requires channel_id"] },
      });
    }
    for (const file of files) file.completed = true;
    return { files: files.map((f) => fileJson(workspace, f)) };
  },
};

function fileJson(workspace: FakeSlackWorkspace, file: FakeFile): Record<string, unknown> {
  const extension = file.name.includes(".") ? (file.name.split(".").pop() ?? "") : "";
  return {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.title,
    mimetype: extension === "txt" ? "text/plain" : "application/octet-stream",
    filetype: extension === "" ? "binary" : extension,
    user: file.user,
    user_team: workspace.team.id,
    size: file.data?.length ?? file.length,
    is_public: file.channels.length > 0,
    url_private: `https://files.slack.com/files-pri/${workspace.team.id}-${file.id}/${file.name}`,
    permalink: `https://${workspace.team.domain}.slack.com/files/${file.user}/${file.id}/${file.name}`,
    channels: [...file.channels],
    groups: [],
    ims: [],
    comments_count: 0,
  };
}

export const FILE_METHODS: Readonly<Record<string, FakeMethod>> = {
  "files.getUploadURLExternal": getUploadUrl,
  "files.completeUploadExternal": completeUpload,
};

/**
 * The bytes POSTed to an upload URL, raw or as the one file of a multipart form (what the
 * Node SDK sends). Returns what Slack's upload endpoint answers.
 */
export function receiveUpload(
  workspace: FakeSlackWorkspace,
  key: string,
  data: Buffer,
): { status: number; body: string } {
  const file = [...workspace.files.values()].find((f) => f.uploadKey === key);
  if (file === undefined) return { status: 404, body: "Not Found" };
  file.data = data;
  return { status: 200, body: `OK - ${data.length}` };
}

export type { MethodContext };
