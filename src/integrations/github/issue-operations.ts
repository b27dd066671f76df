import { Type } from "@sinclair/typebox";
import { defineOperation, type Operation } from "../integration.js";
import type { GitHubClient } from "./client.js";
import { ownerOf, ownerParameter, repoParameter } from "./parameters.js";
import { compactIssue } from "./results.js";

const login = Type.String({ pattern: "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$" });

const createIssue = defineOperation({
  description: "Opens an issue, optionally with labels and assignees.",
  parameters: Type.Object(
    {
      owner: ownerParameter(),
      repo: repoParameter(),
      title: Type.String({ minLength: 1, maxLength: 256, description: "The title." }),
      body: Type.Optional(Type.String({ maxLength: 65536, description: "The text (Markdown)." })),
      labels: Type.Optional(
        Type.Array(Type.String({ minLength: 1, maxLength: 50 }), {
          maxItems: 100,
          description: "Label names (labels that do not exist are created).",
        }),
      ),
      assignees: Type.Optional(
        Type.Array(login, {
          maxItems: 10,
          description: "Logins to assign (they must be able to access the repository).",
        }),
      ),
    },
    { additionalProperties: false },
  ),
  sideEffect: true,
  run: async (client: GitHubClient, p, { signal }) => {
    const { data } = await client.octokit.rest.issues.create({
      owner: ownerOf(client, p.owner),
      repo: p.repo,
      title: p.title,
      ...(p.body === undefined ? {} : { body: p.body }),
      ...(p.labels === undefined ? {} : { labels: p.labels }),
      ...(p.assignees === undefined ? {} : { assignees: p.assignees }),
      request: { signal },
    });
    return compactIssue(data);
  },
});

const comment = defineOperation({
  description:
    "Comments on an issue or a pull request (they share numbers; this is the conversation, not a code review comment).",
  parameters: Type.Object(
    {
      owner: ownerParameter(),
      repo: repoParameter(),
      issue_number: Type.Integer({
        minimum: 1,
        description: "The issue's or pull request's number.",
      }),
      body: Type.String({ minLength: 1, maxLength: 65536, description: "The comment (Markdown)." }),
    },
    { additionalProperties: false },
  ),
  sideEffect: true,
  run: async (client: GitHubClient, p, { signal }) => {
    const { data } = await client.octokit.rest.issues.createComment({
      owner: ownerOf(client, p.owner),
      repo: p.repo,
      issue_number: p.issue_number,
      body: p.body,
      request: { signal },
    });
    return {
      id: data.id,
      html_url: data.html_url,
      issue_number: p.issue_number,
      body: data.body ?? null,
      user: data.user?.login ?? null,
      created_at: data.created_at,
    };
  },
});

export const issueOperations: Record<string, Operation<GitHubClient>> = {
  create_issue: createIssue,
  comment,
};
