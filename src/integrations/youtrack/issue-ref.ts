/** A database id such as "2-17"; a readable id (DEMO-12) starts with the project's short name. */
const DATABASE_ID = /^[0-9]+-[0-9]+$/;

/** How the commands API names an issue given by either id. */
export function issueRef(issue: string): { id: string } | { idReadable: string } {
  return DATABASE_ID.test(issue) ? { id: issue } : { idReadable: issue };
}

/** The issue's path under /api/, for either id (YouTrack accepts both there). */
export function issuePath(issue: string): string {
  return `issues/${encodeURIComponent(issue)}`;
}

/** Names the issue in error messages. */
export function issueSubject(issue: string): string {
  return `issue ${JSON.stringify(issue)}`;
}
