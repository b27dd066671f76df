import { Type } from "@sinclair/typebox";
import type { FilesUploadV2Arguments } from "@slack/web-api";
import { AppError, type JsonObject } from "../../domain/index.js";
import { defineOperation } from "../integration.js";
import { resolveChannelId } from "./channel-lookup.js";
import type { SlackClient } from "./client.js";
import { channelParameter, threadTsParameter } from "./common-parameters.js";

/** Files are passed inline in the call, so keep them modest (Slack itself takes up to 1 GB). */
const MAX_CONTENT_CHARS = 10_000_000;

const uploadFileParameters = Type.Object(
  {
    channel: Type.Optional(channelParameter("Where to share the file")),
    channels: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          "Another name for channel (files.upload's old argument): one channel, since Slack shares an upload in one conversation.",
      }),
    ),
    filename: Type.String({
      minLength: 1,
      maxLength: 255,
      description: 'The file name with its extension, e.g. "report.csv" (Slack infers the type).',
    }),
    content: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: MAX_CONTENT_CHARS,
        description: "The file's content as text (UTF-8). Give content or content_base64.",
      }),
    ),
    content_base64: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: MAX_CONTENT_CHARS,
        pattern: "^[A-Za-z0-9+/]+={0,2}$",
        description: "the file's bytes in base64 (for binary files)",
      }),
    ),
    title: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 255,
        description: "Title shown in Slack; default the file name.",
      }),
    ),
    initial_comment: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 40_000,
        description: "Message posted with the file.",
      }),
    ),
    thread_ts: Type.Optional(threadTsParameter()),
  },
  { additionalProperties: false },
);

type UploadParameters = (typeof uploadFileParameters)["static"];

/** upload_file: files.uploadV2 (getUploadURLExternal, the upload, completeUploadExternal). */
export const uploadFile = defineOperation({
  description:
    "Uploads a file (text or base64) and shares it in a channel, optionally in a thread, with the library's files.uploadV2 (files.getUploadURLExternal, the upload, files.completeUploadExternal). Without a channel the file stays private to the bot.",
  parameters: uploadFileParameters,
  sideEffect: true,
  run: async (client: SlackClient, p, call) => {
    const target = destinationOf(p);
    const data = contentOf(p);
    const web = client.web(call);
    const channelId = target === undefined ? undefined : await resolveChannelId(web, target);
    const common = {
      filename: p.filename,
      ...(p.title === undefined ? {} : { title: p.title }),
      ...(p.initial_comment === undefined ? {} : { initial_comment: p.initial_comment }),
    };
    const destination =
      channelId === undefined
        ? {}
        : p.thread_ts === undefined
          ? { channel_id: channelId }
          : { channel_id: channelId, thread_ts: p.thread_ts };
    const args: FilesUploadV2Arguments =
      typeof data === "string"
        ? { ...common, ...destination, content: data }
        : { ...common, ...destination, file: data };
    const uploaded = await web.filesUploadV2(args);
    const files: JsonObject[] = [];
    for (const completion of uploaded.files) {
      for (const file of completion.files ?? []) {
        files.push({
          id: file.id ?? null,
          name: file.name ?? null,
          title: file.title ?? null,
          size: file.size ?? null,
          mimetype: file.mimetype ?? null,
          permalink: file.permalink ?? null,
        });
      }
    }
    return { channel: channelId ?? null, thread_ts: p.thread_ts ?? null, files };
  },
});

function destinationOf(p: UploadParameters): string | undefined {
  if (p.channel !== undefined && p.channels !== undefined) {
    throw AppError.invalidArgument(
      "parameters.channels",
      "parameters.channels is another name for parameters.channel: give one of them, not both",
    );
  }
  const target = p.channel ?? p.channels;
  if (target?.includes(",") === true) {
    throw AppError.invalidArgument(
      "parameters.channels",
      "Slack shares an upload in one channel: upload once per channel",
    );
  }
  if (p.thread_ts !== undefined && target === undefined) {
    throw AppError.invalidArgument(
      "parameters.thread_ts",
      "parameters.thread_ts needs parameters.channel (the thread's channel)",
    );
  }
  return target;
}

function contentOf(p: UploadParameters): string | Buffer {
  if ((p.content === undefined) === (p.content_base64 === undefined)) {
    throw AppError.invalidArgument(
      "parameters.content",
      "give exactly one of parameters.content (text) and parameters.content_base64 (bytes)",
    );
  }
  return p.content ?? Buffer.from(p.content_base64 ?? "", "base64");
}
