import { commentJson, issueJson, pullJson } from "./fake-github-json.js";
import {
  accountOf,
  GitHubHttpError,
  notFound,
  paginate,
  repoOf,
  requireWrite,
  type Route,
  type RouteContext,
  sortBy,
  stringField,
  validationFailed,
} from "./fake-github-http.js";
import type { IssueRecord, RepoRecord } from "./fake-github-world.js";

function newIssue(context: RouteContext, repo: RepoRecord, title: string): IssueRecord {
  const { world } = context;
  const issue: IssueRecord = {
    id: world.id(),
    number: repo.issues.length + 1,
    title,
    body: stringField(context.body, "body") ?? null,
    state: "open",
    user: world.viewer,
    labels: [],
    assignees: [],
    comments: 0,
    createdAt: world.now(),
    updatedAt: world.now(),
    closedAt: null,
  };
  repo.issues.push(issue);
  return issue;
}

function pullOf(
  context: RouteContext,
  repo: RepoRecord,
): IssueRecord & { pull: NonNullable<IssueRecord["pull"]> } {
  const issue = context.world.issue(repo, Number(context.params.pull_number));
  if (issue?.pull === undefined) throw notFound();
  return issue as IssueRecord & { pull: NonNullable<IssueRecord["pull"]> };
}

/** Whose branch `head` names ("branch" or "owner:branch"); only the repository's own here. */
function headBranch(repo: RepoRecord, head: string): string | undefined {
  const [owner, branch] = head.includes(":") ? head.split(":", 2) : [repo.owner, head];
  return owner?.toLowerCase() === repo.owner.toLowerCase() ? branch : undefined;
}

/** Pull requests, issues and comments. */
export const pullRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/repos/{owner}/{repo}/pulls",
    handle: (context) => {
      const repo = repoOf(context);
      const { query } = context;
      const state = query.get("state") ?? "open";
      if (!["open", "closed", "all"].includes(state)) {
        throw validationFailed({ resource: "PullRequest", field: "state", code: "invalid" });
      }
      const head = query.get("head");
      const base = query.get("base");
      const pulls = repo.issues.filter(
        (i) =>
          i.pull !== undefined &&
          (state === "all" || i.state === state) &&
          (head === null ||
            `${repo.owner}:${i.pull.head.ref}`.toLowerCase() === head.toLowerCase()) &&
          (base === null || i.pull.base.ref === base),
      );
      const sort = query.get("sort") ?? "created";
      const direction = query.get("direction") ?? (sort === "created" ? "desc" : "asc");
      const key = (i: IssueRecord) =>
        (sort === "updated" ? i.updatedAt : "") + String(i.number).padStart(8, "0");
      const { page, headers } = paginate(context, sortBy(pulls, key, direction));
      const accounts = accountOf(context.world);
      return {
        status: 200,
        body: page.map((i) => pullJson(context.urls, repo, i, accounts, false)),
        headers,
      };
    },
  },
  {
    method: "POST",
    pattern: "/repos/{owner}/{repo}/pulls",
    handle: (context) => {
      const repo = repoOf(context);
      const { body } = context;
      for (const field of ["title", "head", "base"]) {
        if (stringField(body, field) === undefined) {
          throw validationFailed({ resource: "PullRequest", code: "missing_field", field });
        }
      }
      const head = stringField(body, "head") ?? "";
      const base = stringField(body, "base") ?? "";
      const headRef = headBranch(repo, head);
      const headSha = headRef === undefined ? undefined : repo.refs.get(headRef);
      if (headRef === undefined || headSha === undefined) {
        throw validationFailed({ resource: "PullRequest", field: "head", code: "invalid" });
      }
      const baseSha = repo.refs.get(base);
      if (baseSha === undefined)
        throw validationFailed({ resource: "PullRequest", field: "base", code: "invalid" });
      if (headSha === baseSha) {
        throw validationFailed({
          resource: "PullRequest",
          code: "custom",
          message: `No commits between ${base} and ${headRef}`,
        });
      }
      const open = repo.issues.find(
        (i) => i.state === "open" && i.pull?.head.ref === headRef && i.pull.base.ref === base,
      );
      if (open !== undefined) {
        throw validationFailed({
          resource: "PullRequest",
          code: "custom",
          message: `A pull request already exists for ${repo.owner}:${headRef}.`,
        });
      }
      const issue = newIssue(context, repo, stringField(body, "title") ?? "");
      issue.pull = {
        head: { ref: headRef, sha: headSha },
        base: { ref: base, sha: baseSha },
        draft: body.draft === true,
        merged: false,
        mergedAt: null,
        mergeCommitSha: null,
        mergeable: true,
        maintainerCanModify: body.maintainer_can_modify !== false,
      };
      return {
        status: 201,
        body: {
          ...pullJson(context.urls, repo, issue, accountOf(context.world), true),
          mergeable: null,
        },
        headers: {
          location: `${context.urls.api}/repos/${repo.owner}/${repo.name}/pulls/${issue.number}`,
        },
      };
    },
  },
  {
    method: "GET",
    pattern: "/repos/{owner}/{repo}/pulls/{pull_number}",
    handle: (context) => {
      const repo = repoOf(context);
      const issue = pullOf(context, repo);
      return {
        status: 200,
        body: pullJson(context.urls, repo, issue, accountOf(context.world), true),
      };
    },
  },
  {
    method: "PUT",
    pattern: "/repos/{owner}/{repo}/pulls/{pull_number}/merge",
    handle: (context) => {
      const { world, body } = context;
      const repo = repoOf(context);
      const issue = pullOf(context, repo);
      requireWrite(repo);
      const method = stringField(body, "merge_method") ?? "merge";
      if (!["merge", "squash", "rebase"].includes(method)) {
        throw validationFailed({ resource: "PullRequest", field: "merge_method", code: "invalid" });
      }
      const { pull } = issue;
      if (pull.draft) throw new GitHubHttpError(405, "Pull Request is still a draft");
      if (issue.state !== "open" || pull.mergeable === false) {
        throw new GitHubHttpError(405, "Pull Request is not mergeable");
      }
      const sha = stringField(body, "sha");
      if (sha !== undefined && sha !== pull.head.sha) {
        throw new GitHubHttpError(409, "Head branch was modified. Review and try the merge again.");
      }
      const mergeSha = world.push(repo, pull.base.ref);
      Object.assign(pull, { merged: true, mergedAt: world.now(), mergeCommitSha: mergeSha });
      Object.assign(issue, { state: "closed", closedAt: world.now(), updatedAt: world.now() });
      return {
        status: 200,
        body: { sha: mergeSha, merged: true, message: "Pull Request successfully merged" },
      };
    },
  },
  {
    method: "POST",
    pattern: "/repos/{owner}/{repo}/issues",
    handle: (context) => {
      const repo = repoOf(context);
      const { body } = context;
      const title = stringField(body, "title");
      if (title === undefined)
        throw validationFailed({ resource: "Issue", code: "missing_field", field: "title" });
      const assignees = Array.isArray(body.assignees) ? body.assignees.map(String) : [];
      const assignable = (login: string) =>
        login.toLowerCase() === repo.owner.toLowerCase() ||
        repo.collaborators.has(login) ||
        (login === context.world.viewer && repo.access !== "read");
      const invalid = assignees.find((login) => !assignable(login));
      if (invalid !== undefined) {
        throw validationFailed({
          value: invalid,
          resource: "Issue",
          field: "assignees",
          code: "invalid",
        });
      }
      const issue = newIssue(context, repo, title);
      // Labels and assignees set by someone without push access are dropped, as on GitHub.
      if (repo.access !== "read") {
        issue.labels = Array.isArray(body.labels) ? body.labels.map(String) : [];
        issue.assignees = assignees;
      }
      return {
        status: 201,
        body: issueJson(context.urls, repo, issue, accountOf(context.world)),
        headers: {
          location: `${context.urls.api}/repos/${repo.owner}/${repo.name}/issues/${issue.number}`,
        },
      };
    },
  },
  {
    method: "POST",
    pattern: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    handle: (context) => {
      const repo = repoOf(context);
      const issue = context.world.issue(repo, Number(context.params.issue_number));
      if (issue === undefined) throw notFound();
      const text = stringField(context.body, "body");
      if (text === undefined || text === "") {
        throw validationFailed({ resource: "IssueComment", code: "missing_field", field: "body" });
      }
      const comment = {
        id: context.world.id(),
        issueNumber: issue.number,
        body: text,
        user: context.world.viewer,
        createdAt: context.world.now(),
      };
      repo.comments.push(comment);
      issue.comments += 1;
      return {
        status: 201,
        body: commentJson(context.urls, repo, issue, comment, accountOf(context.world)),
        headers: {
          location: `${context.urls.api}/repos/${repo.owner}/${repo.name}/issues/comments/${comment.id}`,
        },
      };
    },
  },
];
