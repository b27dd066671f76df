import { Type } from "@sinclair/typebox";
import { defineOperation } from "../../integration.js";
import type { ApiIssue } from "../api-types.js";
import type { YouTrackClient } from "../client.js";
import { customFields, stateOf } from "../issue-view.js";

const parameters = Type.Object(
  {
    query: Type.String({
      maxLength: 2_000,
      default: "",
      description:
        'A YouTrack search query, e.g. "project: DEMO #Unresolved" or "State: {In Progress} login"; empty for every issue.',
    }),
    top: Type.Integer({
      minimum: 1,
      maximum: 500,
      default: 50,
      description: "How many issues at most (1-500, default 50).",
    }),
    skip: Type.Integer({
      minimum: 0,
      default: 0,
      description: "How many matching issues to skip, for the next page.",
    }),
  },
  { additionalProperties: false },
);

export const searchIssues = defineOperation<YouTrackClient, typeof parameters>({
  description:
    "Finds issues with a YouTrack search query. Returns each issue's readable id, summary, state, whether it is resolved, its custom fields and URL, and the skip of the next page when there may be one.",
  parameters,
  sideEffect: false,
  run: async (client, p, { signal }) => {
    const found = await client.request<ApiIssue[]>("GET", "issues", {
      signal,
      query: {
        query: p.query === "" ? undefined : p.query,
        fields: "id,idReadable,summary,resolved,customFields(name,value(name,login))",
        $top: p.top,
        $skip: p.skip,
      },
    });
    const issues = found.map((issue) => {
      const idReadable = issue.idReadable ?? issue.id;
      return {
        id_readable: idReadable,
        summary: issue.summary ?? "",
        state: stateOf(issue),
        resolved: issue.resolved !== undefined && issue.resolved !== null,
        fields: customFields(issue),
        url: client.issueUrl(idReadable),
      };
    });
    return {
      issues,
      count: issues.length,
      next_skip: issues.length === p.top ? p.skip + issues.length : null,
    };
  },
});
