import { Type } from "@sinclair/typebox";
import { defineOperation } from "../../integration.js";
import type { ApiComment } from "../api-types.js";
import type { YouTrackClient } from "../client.js";
import { issuePath, issueSubject } from "../issue-ref.js";
import { IssueId } from "../schemas.js";

const parameters = Type.Object(
  {
    issue: IssueId,
    text: Type.String({
      minLength: 1,
      maxLength: 100_000,
      description: "The comment (Markdown).",
    }),
  },
  { additionalProperties: false },
);

export const addComment = defineOperation<YouTrackClient, typeof parameters>({
  description:
    "Adds a comment to an issue (by readable id such as DEMO-12). Returns the comment's id and URL.",
  parameters,
  sideEffect: true,
  run: async (client, p, { signal }) => {
    const comment = await client.request<ApiComment>("POST", `${issuePath(p.issue)}/comments`, {
      signal,
      query: { fields: "id,text,created" },
      body: { text: p.text },
      subject: issueSubject(p.issue),
    });
    return {
      id: comment.id,
      issue: p.issue,
      text: comment.text ?? p.text,
      created: comment.created === undefined ? null : new Date(comment.created).toISOString(),
      url: `${client.issueUrl(p.issue)}#focus=Comments-${comment.id}.0-0`,
    };
  },
});
