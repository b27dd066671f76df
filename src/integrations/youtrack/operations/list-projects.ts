import { Type } from "@sinclair/typebox";
import { defineOperation } from "../../integration.js";
import type { ApiProject } from "../api-types.js";
import type { YouTrackClient } from "../client.js";

const parameters = Type.Object(
  {
    query: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: "Only projects whose name or short name contains this text.",
      }),
    ),
    top: Type.Integer({
      minimum: 1,
      maximum: 500,
      default: 100,
      description: "How many projects at most (1-500, default 100).",
    }),
    skip: Type.Integer({ minimum: 0, default: 0, description: "How many projects to skip." }),
  },
  { additionalProperties: false },
);

export const listProjects = defineOperation<YouTrackClient, typeof parameters>({
  description:
    "Lists the projects the token can see: database id, short name (used in issue ids), name and whether it is archived.",
  parameters,
  sideEffect: false,
  run: async (client, p, { signal }) => {
    const found = await client.request<ApiProject[]>("GET", "admin/projects", {
      signal,
      query: {
        fields: "id,name,shortName,archived",
        query: p.query,
        $top: p.top,
        $skip: p.skip,
      },
    });
    for (const project of found) {
      if (project.shortName !== undefined)
        client.projectIds.set(project.shortName.toUpperCase(), project.id);
    }
    const projects = found.map((project) => ({
      id: project.id,
      short_name: project.shortName ?? null,
      name: project.name ?? null,
      archived: project.archived === true,
    }));
    return {
      projects,
      count: projects.length,
      next_skip: projects.length === p.top ? p.skip + projects.length : null,
    };
  },
});
