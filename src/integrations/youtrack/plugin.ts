import { definePlugin } from "../integration.js";
import type { ApiUser } from "./api-types.js";
import { YouTrackClient } from "./client.js";
import { mapYouTrackError, YOUTRACK } from "./errors.js";
import { addComment } from "./operations/add-comment.js";
import { createIssue } from "./operations/create-issue.js";
import { listProjects } from "./operations/list-projects.js";
import { searchIssues } from "./operations/search-issues.js";
import { updateIssue } from "./operations/update-issue.js";

/** YouTrack issues through its REST API, authenticated with a permanent token. */
export const youtrackPlugin = definePlugin<YouTrackClient>({
  name: YOUTRACK,
  description: "JetBrains YouTrack: create, update, comment on and search issues; list projects.",
  settings: {
    url: {
      env: "YOUTRACK_URL",
      description:
        "Base URL of the YouTrack instance, e.g. https://example.youtrack.cloud (the API is under <url>/api/).",
      required: true,
    },
    token: {
      env: "YOUTRACK_TOKEN",
      description: 'A permanent token ("perm:..."), sent as a Bearer token.',
      required: true,
      secret: true,
    },
  },
  connect: (settings) => new YouTrackClient(settings),
  check: async (client, { signal }) => {
    const me = await client.request<ApiUser>("GET", "users/me", {
      signal,
      query: { fields: "id,login,name" },
    });
    return { login: me.login ?? null, name: me.name ?? null };
  },
  operations: {
    create_issue: createIssue,
    update_issue: updateIssue,
    add_comment: addComment,
    search_issues: searchIssues,
    list_projects: listProjects,
  },
  mapError: mapYouTrackError,
});
