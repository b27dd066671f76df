import type { JsonObject } from "../../domain/index.js";

// The compact shapes operations return: the fields a task acts on, not GitHub's whole object.
// The input types are the parts of Octokit's response types that are read.

interface RepositoryData {
  id: number;
  name: string;
  full_name: string;
  owner: { login: string };
  private: boolean;
  visibility?: string;
  description: string | null;
  html_url: string;
  clone_url?: string;
  default_branch?: string;
  fork: boolean;
  archived?: boolean;
  created_at?: string | null;
  updated_at?: string | null;
  pushed_at?: string | null;
}

export function compactRepository(repo: RepositoryData): JsonObject {
  return {
    id: repo.id,
    name: repo.name,
    full_name: repo.full_name,
    owner: repo.owner.login,
    private: repo.private,
    visibility: repo.visibility ?? (repo.private ? "private" : "public"),
    description: repo.description,
    html_url: repo.html_url,
    clone_url: repo.clone_url ?? null,
    default_branch: repo.default_branch ?? null,
    fork: repo.fork,
    archived: repo.archived ?? false,
    created_at: repo.created_at ?? null,
    updated_at: repo.updated_at ?? null,
    pushed_at: repo.pushed_at ?? null,
  };
}

interface PullRequestData {
  id: number;
  number: number;
  html_url: string;
  state: string;
  title: string;
  body: string | null;
  draft?: boolean;
  merged?: boolean;
  merged_at: string | null;
  mergeable?: boolean | null;
  merge_commit_sha: string | null;
  user: { login: string } | null;
  head: { ref: string; sha: string; label: string };
  base: { ref: string; sha: string };
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export function compactPullRequest(pull: PullRequestData): JsonObject {
  const out: JsonObject = {
    id: pull.id,
    number: pull.number,
    html_url: pull.html_url,
    state: pull.state,
    title: pull.title,
    body: pull.body,
    draft: pull.draft ?? false,
    // Lists carry no `merged`; `merged_at` says the same.
    merged: pull.merged ?? pull.merged_at !== null,
    merged_at: pull.merged_at,
    merge_commit_sha: pull.merge_commit_sha,
    user: pull.user?.login ?? null,
    head: { ref: pull.head.ref, sha: pull.head.sha, label: pull.head.label },
    base: { ref: pull.base.ref, sha: pull.base.sha },
    created_at: pull.created_at,
    updated_at: pull.updated_at,
    closed_at: pull.closed_at,
  };
  if (pull.mergeable !== undefined) out.mergeable = pull.mergeable;
  return out;
}

interface IssueData {
  id: number;
  number: number;
  html_url: string;
  state: string;
  title: string;
  body?: string | null;
  user: { login: string } | null;
  labels: (string | { name?: string })[];
  assignees?: { login: string }[] | null;
  created_at: string;
}

export function compactIssue(issue: IssueData): JsonObject {
  return {
    id: issue.id,
    number: issue.number,
    html_url: issue.html_url,
    state: issue.state,
    title: issue.title,
    body: issue.body ?? null,
    user: issue.user?.login ?? null,
    labels: issue.labels.map((label) => (typeof label === "string" ? label : (label.name ?? ""))),
    assignees: (issue.assignees ?? []).map((a) => a.login),
    created_at: issue.created_at,
  };
}
