import { Type } from "@sinclair/typebox";
import { AppError } from "../../../domain/index.js";
import { defineOperation } from "../../integration.js";
import { ISSUE_FIELDS, type ApiIssue } from "../api-types.js";
import { applyCommand } from "../apply-command.js";
import type { YouTrackClient } from "../client.js";
import { setFieldsCommand } from "../command.js";
import { issuePath, issueSubject } from "../issue-ref.js";
import { issueView } from "../issue-view.js";
import { Description, FieldValues, IssueId, Summary } from "../schemas.js";

const parameters = Type.Object(
  {
    issue: IssueId,
    summary: Type.Optional(Summary),
    description: Type.Optional(Description),
    fields: Type.Optional(FieldValues),
    state: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'The new value of the State field, e.g. "In Progress" or "Fixed".',
      }),
    ),
  },
  { additionalProperties: false },
);

/**
 * Changes an issue: summary and description through the issue resource, field values and
 * state through one command (which sets any kind of field by its value's name). Setting the
 * same values again changes nothing, so a retried call is harmless.
 */
export const updateIssue = defineOperation<YouTrackClient, typeof parameters>({
  description:
    "Updates an issue (by readable id such as DEMO-12): summary, description, custom field values (name -> value name, e.g. Priority, Assignee by login) and state. Returns the issue with its custom fields read back.",
  parameters,
  sideEffect: true,
  run: async (client, p, { signal }) => {
    const fields = Object.entries(p.fields ?? {});
    if (p.state !== undefined) {
      if (p.fields?.State !== undefined) {
        throw AppError.invalidArgument(
          "parameters.state",
          "parameters.state and parameters.fields.State both set the state; give one",
        );
      }
      fields.push(["State", p.state]);
    }
    if (p.summary === undefined && p.description === undefined && fields.length === 0) {
      throw AppError.invalidArgument(
        "parameters",
        "parameters: nothing to change; give summary, description, fields or state",
      );
    }
    // Checked before anything is changed, so a bad value changes nothing.
    const command = fields.length > 0 ? setFieldsCommand(fields, "parameters.fields") : undefined;
    const subject = issueSubject(p.issue);
    if (p.summary !== undefined || p.description !== undefined) {
      const body: Record<string, string> = {};
      if (p.summary !== undefined) body.summary = p.summary;
      if (p.description !== undefined) body.description = p.description;
      await client.request<ApiIssue>("POST", issuePath(p.issue), {
        signal,
        query: { fields: "id,idReadable" },
        body,
        subject,
      });
    }
    if (command !== undefined) await applyCommand(client, p.issue, command, signal);
    const issue = await client.request<ApiIssue>("GET", issuePath(p.issue), {
      signal,
      query: { fields: ISSUE_FIELDS },
      subject,
    });
    return issueView(client, issue);
  },
});
