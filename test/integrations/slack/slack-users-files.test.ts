import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectCode } from "../../helpers/expect-code.js";
import { FakeSlackServer } from "./fake-slack-server.js";
import { captured, slackAt, TOKEN } from "./slack-harness.js";

let server: FakeSlackServer;

beforeAll(async () => {
  server = await new FakeSlackServer(TOKEN).start();
});
afterAll(() => server.close());
afterEach(() => {
  expect(captured.logs).not.toContain(TOKEN);
});

describe("lookup_user", () => {
  it("finds a user by ID (users.info) and by email (users.lookupByEmail)", async () => {
    const slack = slackAt(server);
    const byId = await slack.invoke({
      operation: "lookup_user",
      parameters: { user_id: "U0ADALOVE1" },
    });
    expect(byId.result).toMatchObject({
      id: "U0ADALOVE1",
      name: "ada",
      real_name: "Ada Lovelace",
      email: "ada@example.com",
      is_bot: false,
      deleted: false,
    });
    expect(server.calls("users.info").at(-1)?.args).toMatchObject({ user: "U0ADALOVE1" });
    const byEmail = await slack.invoke({
      operation: "lookup_user",
      parameters: { email: "grace@example.com" },
    });
    expect(byEmail.result).toMatchObject({ id: "U0GRACEH01", email: "grace@example.com" });
    expect(server.calls("users.lookupByEmail").at(-1)?.args).toMatchObject({
      email: "grace@example.com",
    });
  });

  it("reports unknown users as not found and wants exactly one of user_id and email", async () => {
    const slack = slackAt(server);
    const email = await expectCode(
      slack.invoke({ operation: "lookup_user", parameters: { email: "nobody@example.com" } }),
      "not_found",
    );
    expect(email.message).toContain("users_not_found");
    const id = await expectCode(
      slack.invoke({ operation: "lookup_user", parameters: { user_id: "U0NOBODY01" } }),
      "not_found",
    );
    expect(id.message).toContain("user_not_found");
    for (const parameters of [{}, { user_id: "U0ADALOVE1", email: "ada@example.com" }]) {
      const error = await expectCode(
        slack.invoke({ operation: "lookup_user", parameters }),
        "invalid_argument",
      );
      expect(error.message).toBe("give exactly one of parameters.user_id and parameters.email");
    }
  });
});

describe("upload_file", () => {
  it("uploads text through the three steps and shares it in #general with a comment", async () => {
    const content = "id,status\n1,ok\n";
    const outcome = await slackAt(server).invoke({
      operation: "upload_file",
      parameters: {
        channel: "#general",
        filename: "report.csv",
        content,
        title: "Nightly report",
        initial_comment: "Here is the report",
      },
    });
    const result = outcome.result as { channel: string; files: { id: string }[] };
    expect(result).toMatchObject({
      channel: "C0GENERAL1",
      thread_ts: null,
      files: [
        { id: expect.stringMatching(/^F/), name: "report.csv", title: "Nightly report", size: 15 },
      ],
    });
    const reserve = server.calls("files.getUploadURLExternal").at(-1);
    expect(reserve?.args).toMatchObject({ filename: "report.csv", length: "15" });
    expect(server.calls("upload").at(-1)?.files[0]?.data.toString()).toBe(content);
    const complete = server.calls("files.completeUploadExternal").at(-1);
    expect(JSON.parse(String(complete?.args.files))).toEqual([
      { id: result.files[0]?.id, title: "Nightly report" },
    ]);
    expect(complete?.args).toMatchObject({
      channel_id: "C0GENERAL1",
      initial_comment: "Here is the report",
    });
    const file = server.workspace.files.get(result.files[0]?.id ?? "");
    expect(file?.data?.toString()).toBe(content);
    expect(server.workspace.channel("C0GENERAL1")?.messages.at(-1)).toMatchObject({
      text: "Here is the report",
      files: [result.files[0]?.id],
    });
  });

  it("uploads bytes given in base64 into a thread, byte for byte", async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    const slack = slackAt(server);
    const parent = await slack.invoke({
      operation: "send_message",
      parameters: { channel: "C0DEVELOP1", text: "build logs follow" },
    });
    const { ts } = parent.result as { ts: string };
    const outcome = await slack.invoke({
      operation: "upload_file",
      parameters: {
        channels: "C0DEVELOP1",
        filename: "core.bin",
        content_base64: bytes.toString("base64"),
        thread_ts: ts,
      },
    });
    const id = (outcome.result as { files: { id: string }[] }).files[0]?.id ?? "";
    expect(server.workspace.files.get(id)?.data).toEqual(bytes);
    expect(server.calls("files.completeUploadExternal").at(-1)?.args).toMatchObject({
      channel_id: "C0DEVELOP1",
      thread_ts: ts,
    });
    expect(server.workspace.channel("C0DEVELOP1")?.messages.at(-1)).toMatchObject({
      thread_ts: ts,
      files: [id],
    });
  });

  it("refuses ambiguous or incomplete arguments before uploading anything", async () => {
    const slack = slackAt(server);
    const before = server.requests.length;
    const cases: [Record<string, unknown>, string][] = [
      [{ channel: "#general", filename: "a.txt" }, "parameters.content"],
      [
        { channel: "#general", filename: "a.txt", content: "x", content_base64: "eA==" },
        "parameters.content",
      ],
      [
        { channel: "#general", channels: "C0GENERAL1", filename: "a.txt", content: "x" },
        "parameters.channels",
      ],
      [
        { channels: "C0GENERAL1,C0DEVELOP1", filename: "a.txt", content: "x" },
        "parameters.channels",
      ],
      [{ filename: "a.txt", content: "x", thread_ts: "1700000000.000100" }, "parameters.thread_ts"],
      [{ channel: "#general", content: "x" }, "parameters.filename"],
    ];
    for (const [parameters, field] of cases) {
      const error = await expectCode(
        slack.invoke({ operation: "upload_file", parameters }),
        "invalid_argument",
      );
      expect(error.details.field).toBe(field);
    }
    expect(server.requests.length).toBe(before);
  });

  it("is permission denied when the bot is not in the channel; the file is not shared", async () => {
    const error = await expectCode(
      slackAt(server).invoke({
        operation: "upload_file",
        parameters: { channel: "C0RANDOM01", filename: "a.txt", content: "x" },
      }),
      "permission_denied",
    );
    expect(error.message).toContain("not_in_channel");
    expect(server.workspace.channel("C0RANDOM01")?.messages).toEqual([]);
  });
});
