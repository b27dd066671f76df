import type { ApiProject } from "./api-types.js";
import type { YouTrackClient } from "./client.js";
import { remoteError } from "../framework/remote-errors.js";
import { YOUTRACK } from "./errors.js";

/** A project's database id looks like "0-12"; a short name (DEMO) never does. */
const DATABASE_ID = /^[0-9]+-[0-9]+$/;

/**
 * The database id of a project named by short name (case-insensitively) or by database id.
 * Short names are looked up once through the projects admin API and remembered.
 */
export async function resolveProjectId(
  client: YouTrackClient,
  project: string,
  signal: AbortSignal,
): Promise<string> {
  if (DATABASE_ID.test(project)) return project;
  const key = project.toUpperCase();
  const known = client.projectIds.get(key);
  if (known !== undefined) return known;
  const found = await client.request<ApiProject[]>("GET", "admin/projects", {
    signal,
    query: { fields: "id,shortName,name", query: project, $top: 100 },
  });
  const match = found.find((candidate) => candidate.shortName?.toUpperCase() === key);
  if (match === undefined) {
    throw remoteError(
      YOUTRACK,
      "not_found",
      `project ${JSON.stringify(project)} not found: no project visible to this token has that short name`,
    );
  }
  client.projectIds.set(key, match.id);
  return match.id;
}
