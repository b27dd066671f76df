import type { Account, CommentRecord, IssueRecord, RepoRecord } from "./fake-github-world.js";

/** Where the fake's API and web pages are (as GitHub's `url` and `html_url` fields say). */
export interface Urls {
  /** REST API base, e.g. http://127.0.0.1:PORT or http://127.0.0.1:PORT/api/v3. */
  api: string;
  /** Web base, e.g. http://127.0.0.1:PORT. */
  html: string;
}

// The JSON GitHub's REST API v3 answers with, field names and nesting as documented (the
// fields a client reads; GitHub sends more).

export function userJson(urls: Urls, account: Pick<Account, "login" | "id" | "type">) {
  return {
    login: account.login,
    id: account.id,
    node_id: Buffer.from(`04:${account.type}${account.id}`).toString("base64"),
    url: `${urls.api}/users/${account.login}`,
    html_url: `${urls.html}/${account.login}`,
    type: account.type,
    site_admin: false,
  };
}

export function repoJson(urls: Urls, repo: RepoRecord, owner: Account) {
  const full = `${repo.owner}/${repo.name}`;
  const push = repo.access === "admin" || repo.access === "write";
  return {
    id: repo.id,
    node_id: Buffer.from(`010:Repository${repo.id}`).toString("base64"),
    name: repo.name,
    full_name: full,
    private: repo.private,
    owner: userJson(urls, owner),
    html_url: `${urls.html}/${full}`,
    description: repo.description,
    fork: repo.fork,
    url: `${urls.api}/repos/${full}`,
    clone_url: `${urls.html}/${full}.git`,
    homepage: repo.homepage,
    default_branch: repo.defaultBranch,
    visibility: repo.private ? "private" : "public",
    archived: false,
    disabled: false,
    open_issues_count: repo.issues.filter((i) => i.state === "open").length,
    has_issues: true,
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    pushed_at: repo.pushedAt,
    permissions: {
      admin: repo.access === "admin",
      maintain: repo.access === "admin",
      push,
      triage: push,
      pull: repo.access !== "none",
    },
  };
}

function labelJson(name: string) {
  return { id: name.length * 7919, name, color: "ededed", default: false, description: null };
}

function user(urls: Urls, login: string, accountOf: (login: string) => Account) {
  return userJson(urls, accountOf(login));
}

export function issueJson(
  urls: Urls,
  repo: RepoRecord,
  issue: IssueRecord,
  accountOf: (login: string) => Account,
) {
  const full = `${repo.owner}/${repo.name}`;
  const assignees = issue.assignees.map((a) => user(urls, a, accountOf));
  return {
    id: issue.id,
    node_id: Buffer.from(`05:Issue${issue.id}`).toString("base64"),
    url: `${urls.api}/repos/${full}/issues/${issue.number}`,
    repository_url: `${urls.api}/repos/${full}`,
    html_url: `${urls.html}/${full}/${issue.pull ? "pull" : "issues"}/${issue.number}`,
    number: issue.number,
    state: issue.state,
    title: issue.title,
    body: issue.body,
    user: user(urls, issue.user, accountOf),
    labels: issue.labels.map(labelJson),
    assignee: assignees[0] ?? null,
    assignees,
    comments: issue.comments,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    author_association: "OWNER",
    ...(issue.pull
      ? { pull_request: { url: `${urls.api}/repos/${full}/pulls/${issue.number}` } }
      : {}),
  };
}

/** A pull request; `detailed` adds the fields only the single-PR answers carry. */
export function pullJson(
  urls: Urls,
  repo: RepoRecord,
  issue: IssueRecord,
  accountOf: (login: string) => Account,
  detailed: boolean,
) {
  const pull = issue.pull;
  if (pull === undefined) throw new Error(`#${issue.number} is not a pull request`);
  const full = `${repo.owner}/${repo.name}`;
  const owner = accountOf(repo.owner);
  const side = (ref: string, sha: string) => ({
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: userJson(urls, owner),
    repo: repoJson(urls, repo, owner),
  });
  const base = {
    url: `${urls.api}/repos/${full}/pulls/${issue.number}`,
    id: issue.id,
    node_id: Buffer.from(`011:PullRequest${issue.id}`).toString("base64"),
    html_url: `${urls.html}/${full}/pull/${issue.number}`,
    diff_url: `${urls.html}/${full}/pull/${issue.number}.diff`,
    number: issue.number,
    state: issue.state,
    locked: false,
    title: issue.title,
    user: user(urls, issue.user, accountOf),
    body: issue.body,
    labels: issue.labels.map(labelJson),
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignees: [],
    requested_reviewers: [],
    head: side(pull.head.ref, pull.head.sha),
    base: side(pull.base.ref, pull.base.sha),
    draft: pull.draft,
    author_association: "OWNER",
  };
  if (!detailed) return base;
  return {
    ...base,
    merged: pull.merged,
    mergeable: pull.merged ? null : pull.mergeable,
    mergeable_state: pull.mergeable === false ? "dirty" : pull.draft ? "draft" : "clean",
    merged_by: pull.merged ? user(urls, issue.user, accountOf) : null,
    comments: issue.comments,
    commits: 1,
    additions: 1,
    deletions: 0,
    changed_files: 1,
    maintainer_can_modify: pull.maintainerCanModify,
  };
}

export function commentJson(
  urls: Urls,
  repo: RepoRecord,
  issue: IssueRecord,
  comment: CommentRecord,
  accountOf: (login: string) => Account,
) {
  const full = `${repo.owner}/${repo.name}`;
  return {
    id: comment.id,
    node_id: Buffer.from(`012:IssueComment${comment.id}`).toString("base64"),
    url: `${urls.api}/repos/${full}/issues/comments/${comment.id}`,
    html_url: `${urls.html}/${full}/${issue.pull ? "pull" : "issues"}/${issue.number}#issuecomment-${comment.id}`,
    issue_url: `${urls.api}/repos/${full}/issues/${issue.number}`,
    body: comment.body,
    user: user(urls, comment.user, accountOf),
    created_at: comment.createdAt,
    updated_at: comment.createdAt,
    author_association: "OWNER",
  };
}

export function refJson(urls: Urls, repo: RepoRecord, branch: string, sha: string) {
  const full = `${repo.owner}/${repo.name}`;
  return {
    ref: `refs/heads/${branch}`,
    node_id: Buffer.from(`03:Ref${repo.id}:${branch}`).toString("base64"),
    url: `${urls.api}/repos/${full}/git/refs/heads/${branch}`,
    object: { sha, type: "commit", url: `${urls.api}/repos/${full}/git/commits/${sha}` },
  };
}
