import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectCode } from "../../helpers/expect-code.js";
import { FIELD_DEFINITIONS } from "./fake-youtrack-data.js";
import { failures, type FakeYouTrackServer } from "./fake-youtrack-server.js";
import {
  captured,
  startFakeYouTrack,
  TOKEN,
  youtrack,
  youtrackRegistry,
} from "./youtrack-harness.js";

const STATE = FIELD_DEFINITIONS.find((field) => field.name === "State")!;

let server: FakeYouTrackServer;

beforeEach(async () => {
  server = await startFakeYouTrack();
});
afterEach(async () => {
  await server.close();
  expect(captured.logs).not.toContain(TOKEN);
});

describe("create_issue", () => {
  it("resolves the project's short name once, creates the issue and answers its ids and URL", async () => {
    const yt = youtrackRegistry({ YOUTRACK_URL: `${server.url}/`, YOUTRACK_TOKEN: TOKEN }).get(
      "youtrack",
    );
    const outcome = await yt.invoke({
      operation: "create_issue",
      parameters: { project: "demo", summary: "Login fails", description: "Since *Monday*." },
    });
    expect(outcome.result).toEqual({
      id: "2-1",
      id_readable: "DEMO-1",
      summary: "Login fails",
      url: `${server.url}/issue/DEMO-1`,
    });
    const [lookup] = server.requestsTo("projects.list");
    expect(lookup?.query).toEqual({ fields: "id,shortName,name", query: "demo", $top: "100" });
    const [create] = server.requestsTo("issues.create");
    expect(create?.query).toEqual({ fields: "id,idReadable,summary,description" });
    expect(create?.body).toEqual({
      project: { id: "0-0" },
      summary: "Login fails",
      description: "Since *Monday*.",
    });
    expect(create?.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      accept: "application/json",
      "content-type": "application/json",
    });
    expect(server.data.issue("DEMO-1")?.description).toBe("Since *Monday*.");

    const second = await yt.invoke({
      operation: "create_issue",
      parameters: { project: "DEMO", summary: "Two" },
    });
    expect(second.result).toMatchObject({ id_readable: "DEMO-2" });
    expect(server.requestsTo("projects.list")).toHaveLength(1);
    expect(server.requestsTo("issues.create")[1]?.body).toEqual({
      project: { id: "0-0" },
      summary: "Two",
    });
  });

  it("takes a project's database id as is", async () => {
    const outcome = await youtrack(server).invoke({
      operation: "create_issue",
      parameters: { project: "0-1", summary: "Disk full" },
    });
    expect(outcome.result).toMatchObject({ id_readable: "OPS-1" });
    expect(server.requestsTo("projects.list")).toHaveLength(0);
  });

  it("sets custom fields with one command and answers them read back", async () => {
    const outcome = await youtrack(server).invoke({
      operation: "create_issue",
      parameters: {
        project: "DEMO",
        summary: "Crash on save",
        fields: { Priority: "Critical", State: "In Progress", Assignee: "jane" },
      },
    });
    expect(outcome.result).toEqual({
      id: "2-1",
      id_readable: "DEMO-1",
      summary: "Crash on save",
      description: null,
      url: `${server.url}/issue/DEMO-1`,
      state: "In Progress",
      resolved: false,
      fields: { Priority: "Critical", State: "In Progress", Assignee: "jane" },
    });
    const [command] = server.requestsTo("commands");
    expect(command?.body).toEqual({
      query: "Priority Critical State {In Progress} Assignee jane",
      issues: [{ idReadable: "DEMO-1" }],
    });
    expect(server.requestsTo("issues.get")[0]?.query.fields).toBe(
      "id,idReadable,summary,description,resolved,customFields(name,value(name,login))",
    );
  });

  it("sets the fields on the issue already created when the call is retried after a rate limit", async () => {
    server.failNext("commands", 1, failures.rateLimited(0));
    const outcome = await youtrack(server).invoke({
      operation: "create_issue",
      parameters: { project: "DEMO", summary: "Once", fields: { Priority: "Major" } },
      idempotencyKey: "create-once",
    });
    expect(outcome).toMatchObject({
      tries: 2,
      result: { id_readable: "DEMO-1", fields: { Priority: "Major" } },
    });
    expect(server.requestsTo("issues.create")).toHaveLength(1);
    expect(server.data.issues).toHaveLength(1);
  });

  it("says which issue was created when its fields were refused, and a retry with the key does not create another", async () => {
    const yt = youtrack(server);
    const call = (priority: string) =>
      yt.invoke({
        operation: "create_issue",
        parameters: { project: "DEMO", summary: "Half", fields: { Priority: priority } },
        idempotencyKey: "half",
      });
    const error = await expectCode(call("Urgent"), "invalid_argument");
    expect(error.details).toMatchObject({
      integration: "youtrack",
      reason: "invalid_request",
      remote_status: 400,
      created_issue: "DEMO-1",
    });
    expect(error.message).toContain('Priority: value "Urgent" does not exist');
    expect(error.message).toContain("issue DEMO-1 was created but its fields were not set");
    // Same key, same parameters: the issue is not created twice.
    await expectCode(call("Urgent"), "invalid_argument");
    expect(server.data.issues).toHaveLength(1);
  });

  it("refuses a value no command can carry before creating anything", async () => {
    const error = await expectCode(
      youtrack(server).invoke({
        operation: "create_issue",
        parameters: { project: "DEMO", summary: "x", fields: { Priority: "a}b" } },
      }),
      "invalid_argument",
    );
    expect(error.details.field).toBe("parameters.fields.Priority");
    expect(server.requests).toHaveLength(0);
  });

  it("says not found naming a project that has no such short name", async () => {
    const error = await expectCode(
      youtrack(server).invoke({
        operation: "create_issue",
        parameters: { project: "NOPE", summary: "x" },
      }),
      "not_found",
    );
    expect(error.message).toBe(
      'youtrack: project "NOPE" not found: no project visible to this token has that short name',
    );
    expect(server.requestsTo("issues.create")).toHaveLength(0);
  });
});

describe("update_issue", () => {
  it("changes summary and description, sets fields and state with a command and reads the issue back", async () => {
    const issue = server.data.createIssue(server.data.projects[0]!, "Old", null);
    const outcome = await youtrack(server).invoke({
      operation: "update_issue",
      parameters: {
        issue: "DEMO-1",
        summary: "New",
        description: "Details",
        fields: { Priority: "Show-stopper", Assignee: "john.smith" },
        state: "Fixed",
      },
    });
    expect(outcome.result).toEqual({
      id: issue.id,
      id_readable: "DEMO-1",
      summary: "New",
      description: "Details",
      url: `${server.url}/issue/DEMO-1`,
      state: "Fixed",
      resolved: true,
      fields: { Priority: "Show-stopper", State: "Fixed", Assignee: "john.smith" },
    });
    const [update] = server.requestsTo("issues.update");
    expect(update?.path).toBe("/api/issues/DEMO-1");
    expect(update?.query).toEqual({ fields: "id,idReadable" });
    expect(update?.body).toEqual({ summary: "New", description: "Details" });
    expect(server.requestsTo("commands")[0]?.body).toEqual({
      query: "Priority Show-stopper Assignee john.smith State Fixed",
      issues: [{ idReadable: "DEMO-1" }],
    });
    expect(server.data.issue("DEMO-1")?.resolved).not.toBeNull();
  });

  it("only sends a command for a state change, naming an issue by database id by id", async () => {
    server.data.createIssue(server.data.projects[0]!, "A", null);
    const outcome = await youtrack(server).invoke({
      operation: "update_issue",
      parameters: { issue: "2-1", state: "To be discussed" },
    });
    expect(outcome.result).toMatchObject({
      id_readable: "DEMO-1",
      state: "To be discussed",
      resolved: false,
    });
    expect(server.requestsTo("issues.update")).toHaveLength(0);
    expect(server.requestsTo("commands")[0]?.body).toEqual({
      query: "State {To be discussed}",
      issues: [{ id: "2-1" }],
    });
  });

  it("says what YouTrack refused in a command: an unknown field or value", async () => {
    server.data.createIssue(server.data.projects[0]!, "A", null);
    const error = await expectCode(
      youtrack(server).invoke({
        operation: "update_issue",
        parameters: { issue: "DEMO-1", fields: { Severity: "High" } },
      }),
      "invalid_argument",
    );
    expect(error.details).toMatchObject({ reason: "invalid_request", remote_status: 400 });
    expect(error.message).toBe(
      'youtrack: the request was refused (HTTP 400): issue "DEMO-1", command "Severity High": Unknown command: Severity',
    );
  });

  it("refuses a call that changes nothing, or gives the state twice, before calling YouTrack", async () => {
    const yt = youtrack(server);
    const nothing = await expectCode(
      yt.invoke({ operation: "update_issue", parameters: { issue: "DEMO-1" } }),
      "invalid_argument",
    );
    expect(nothing.details.field).toBe("parameters");
    const twice = await expectCode(
      yt.invoke({
        operation: "update_issue",
        parameters: { issue: "DEMO-1", state: "Open", fields: { State: "Fixed" } },
      }),
      "invalid_argument",
    );
    expect(twice.details.field).toBe("parameters.state");
    const braces = await expectCode(
      yt.invoke({
        operation: "update_issue",
        parameters: { issue: "DEMO-1", fields: { Priority: "{x}" } },
      }),
      "invalid_argument",
    );
    expect(braces.details.field).toBe("parameters.fields.Priority");
    expect(server.requests).toHaveLength(0);
  });
});

describe("add_comment", () => {
  it("posts the comment and answers its id, time and URL", async () => {
    server.data.createIssue(server.data.projects[0]!, "A", null);
    const outcome = await youtrack(server).invoke({
      operation: "add_comment",
      parameters: { issue: "DEMO-1", text: "Reproduced on **staging**." },
    });
    const [post] = server.requestsTo("comments.create");
    expect(post?.path).toBe("/api/issues/DEMO-1/comments");
    expect(post?.query).toEqual({ fields: "id,text,created" });
    expect(post?.body).toEqual({ text: "Reproduced on **staging**." });
    const stored = server.data.issue("DEMO-1")?.comments[0];
    expect(outcome.result).toEqual({
      id: stored?.id,
      issue: "DEMO-1",
      text: "Reproduced on **staging**.",
      created: new Date(stored!.created).toISOString(),
      url: `${server.url}/issue/DEMO-1#focus=Comments-${stored?.id}.0-0`,
    });
  });
});

describe("search_issues", () => {
  it("sends the query with fields and paging, and answers a compact list with each state", async () => {
    const [demo, ops] = server.data.projects;
    server.data.createIssue(demo!, "Login fails", null);
    const fixed = server.data.createIssue(demo!, "Login slow", null);
    server.data.setField(fixed, STATE, "Fixed");
    server.data.createIssue(ops!, "Login page down", null);
    const outcome = await youtrack(server).invoke({
      operation: "search_issues",
      parameters: { query: "project: DEMO #Unresolved login" },
    });
    expect(outcome.result).toEqual({
      issues: [
        {
          id_readable: "DEMO-1",
          summary: "Login fails",
          state: "Submitted",
          resolved: false,
          fields: { Priority: "Normal", State: "Submitted", Assignee: null },
          url: `${server.url}/issue/DEMO-1`,
        },
      ],
      count: 1,
      next_skip: null,
    });
    expect(server.requestsTo("issues.list")[0]?.query).toEqual({
      query: "project: DEMO #Unresolved login",
      fields: "id,idReadable,summary,resolved,customFields(name,value(name,login))",
      $top: "50",
      $skip: "0",
    });
  });

  it("pages with top and skip, telling where the next page starts", async () => {
    for (let i = 1; i <= 3; i++)
      server.data.createIssue(server.data.projects[0]!, `Issue ${i}`, null);
    const yt = youtrack(server);
    const first = await yt.invoke({ operation: "search_issues", parameters: { top: 2 } });
    expect(first.result).toMatchObject({ count: 2, next_skip: 2 });
    const second = await yt.invoke({ operation: "search_issues", parameters: { top: 2, skip: 2 } });
    expect(second.result).toMatchObject({
      count: 1,
      next_skip: null,
      issues: [{ id_readable: "DEMO-3" }],
    });
    expect(server.requestsTo("issues.list")[0]?.query).not.toHaveProperty("query");
  });
});

describe("list_projects", () => {
  it("lists projects with their short names and archived flags", async () => {
    const outcome = await youtrack(server).invoke({ operation: "list_projects", parameters: {} });
    expect(outcome.result).toEqual({
      projects: [
        { id: "0-0", short_name: "DEMO", name: "Demo project", archived: false },
        { id: "0-1", short_name: "OPS", name: "Operations", archived: false },
        { id: "0-2", short_name: "OLD", name: "Old things", archived: true },
      ],
      count: 3,
      next_skip: null,
    });
    expect(server.requestsTo("projects.list")[0]?.query).toEqual({
      fields: "id,name,shortName,archived",
      $top: "100",
      $skip: "0",
    });
  });
});

describe("parameters", () => {
  it("are validated before any call, naming the parameter", async () => {
    const yt = youtrack(server);
    const missing = await expectCode(
      yt.invoke({ operation: "create_issue", parameters: { project: "DEMO" } }),
      "invalid_argument",
    );
    expect(missing.message).toBe("parameters.summary is required");
    const badId = await expectCode(
      yt.invoke({ operation: "add_comment", parameters: { issue: "../admin", text: "x" } }),
      "invalid_argument",
    );
    expect(badId.details.field).toBe("parameters.issue");
    const tooMany = await expectCode(
      yt.invoke({ operation: "search_issues", parameters: { top: 501 } }),
      "invalid_argument",
    );
    expect(tooMany.details.field).toBe("parameters.top");
    const extra = await expectCode(
      yt.invoke({ operation: "list_projects", parameters: { archived: true } }),
      "invalid_argument",
    );
    expect(extra.message).toBe("parameters.archived is not a known field");
    expect(server.requests).toHaveLength(0);
  });
});
