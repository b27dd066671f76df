import { Type } from "@sinclair/typebox";
import { defineOperation } from "../../integration.js";
import { ISSUE_FIELDS, type ApiIssue } from "../api-types.js";
import { applyCommand } from "../apply-command.js";
import type { CreatedIssue, YouTrackClient } from "../client.js";
import { setFieldsCommand } from "../command.js";
import { withProgress } from "../errors.js";
import { issuePath, issueSubject } from "../issue-ref.js";
import { issueView } from "../issue-view.js";
import { resolveProjectId } from "../resolve-project.js";
import { Description, FieldValues, Summary } from "../schemas.js";

const parameters = Type.Object(
  {
    project: Type.String({
      pattern: "^[A-Za-z0-9][A-Za-z0-9_-]*$",
      maxLength: 100,
      description: 'The project: its short name such as "DEMO", or its database id such as "0-0".',
    }),
    summary: Summary,
    description: Type.Optional(Description),
    fields: Type.Optional(FieldValues),
  },
  { additionalProperties: false },
);

/**
 * Creates the issue, then sets its fields with a command. YouTrack has no idempotency key: the
 * service's journal replays a finished call, and a call retried after the issue was created
 * but before its fields were set (by the service or by the task's next attempt, with the same
 * key) sets them on the issue already created instead of creating a second one.
 */
export const createIssue = defineOperation<YouTrackClient, typeof parameters>({
  description:
    "Creates an issue in a project (by short name or id) with a summary, an optional description and optional custom field values (name -> value name, e.g. Priority, Assignee by login, State). Returns its ids and URL.",
  parameters,
  sideEffect: true,
  run: async (client, p, { signal, idempotencyKey }) => {
    // Resumed only by a retry of this very call: same key, same parameters.
    const pendingKey = `${idempotencyKey}\u0000${JSON.stringify(p)}`;
    const fields = Object.entries(p.fields ?? {});
    // Checked before the issue exists, so a value no command can carry creates nothing.
    const command = fields.length > 0 ? setFieldsCommand(fields, "parameters.fields") : undefined;
    const created = client.pendingCreation(pendingKey) ?? (await postIssue(client, p, signal));
    if (command === undefined) {
      return issueView(client, {
        id: created.id,
        idReadable: created.idReadable,
        summary: p.summary,
      });
    }
    client.rememberCreation(pendingKey, created);
    try {
      await applyCommand(client, created.idReadable, command, signal);
    } catch (thrown) {
      throw withProgress(
        thrown,
        `issue ${created.idReadable} was created but its fields were not set; calling again with the same idempotency key sets them on that issue`,
        { created_issue: created.idReadable },
      );
    }
    client.forgetCreation(pendingKey);
    const issue = await client.request<ApiIssue>("GET", issuePath(created.idReadable), {
      signal,
      query: { fields: ISSUE_FIELDS },
      subject: issueSubject(created.idReadable),
    });
    return issueView(client, issue);
  },
});

async function postIssue(
  client: YouTrackClient,
  p: { project: string; summary: string; description?: string },
  signal: AbortSignal,
): Promise<CreatedIssue> {
  const projectId = await resolveProjectId(client, p.project, signal);
  const body: Record<string, unknown> = { project: { id: projectId }, summary: p.summary };
  if (p.description !== undefined) body.description = p.description;
  const issue = await client.request<ApiIssue>("POST", "issues", {
    signal,
    query: { fields: "id,idReadable,summary,description" },
    body,
    subject: `project ${JSON.stringify(p.project)}`,
  });
  return { id: issue.id, idReadable: issue.idReadable ?? issue.id };
}
