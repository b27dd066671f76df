import type { YouTrackClient } from "./client.js";
import { issueRef, issueSubject } from "./issue-ref.js";

/**
 * Applies a YouTrack command (e.g. `State {In Progress} Priority Critical`) to one issue. The
 * commands API sets any kind of field by its value's name, which is why field changes go
 * through it; YouTrack refuses an unknown field or value with 400 and says which.
 */
export async function applyCommand(
  client: YouTrackClient,
  issue: string,
  query: string,
  signal: AbortSignal,
): Promise<void> {
  await client.request<unknown>("POST", "commands", {
    signal,
    query: { fields: "id,query" },
    body: { query, issues: [issueRef(issue)] },
    subject: `${issueSubject(issue)}, command ${JSON.stringify(query)}`,
  });
}
