import { createHash } from "node:crypto";

/** Access the authenticated user has to a repository, as GitHub's `permissions` tell it. */
export type Access = "admin" | "write" | "read" | "none";

export interface Account {
  id: number;
  login: string;
  type: "User" | "Organization";
  /** Members of an organisation (logins). */
  members: Set<string>;
}

export interface PullFacts {
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  /** null until GitHub has computed it; false for a conflict. */
  mergeable: boolean | null;
  maintainerCanModify: boolean;
}

/** An issue or a pull request: they share numbers, as on GitHub. */
export interface IssueRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  user: string;
  labels: string[];
  assignees: string[];
  comments: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  pull?: PullFacts;
}

export interface CommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
}

export interface RepoRecord {
  id: number;
  name: string;
  owner: string;
  private: boolean;
  description: string | null;
  homepage: string | null;
  defaultBranch: string;
  /** Branch name -> commit sha. */
  refs: Map<string, string>;
  commits: Set<string>;
  access: Access;
  collaborators: Set<string>;
  fork: boolean;
  createdAt: string;
  updatedAt: string;
  pushedAt: string | null;
  issues: IssueRecord[];
  comments: CommentRecord[];
}

export interface NewRepo {
  owner: string;
  name: string;
  private?: boolean;
  description?: string;
  /** Branches to create, each with one commit; default ["main"]. [] makes an empty repository. */
  branches?: string[];
  defaultBranch?: string;
  /**
   * The authenticated user's access; default admin for their own (or their organisations'),
   * write as a collaborator, else read for a public repository and none for a private one.
   */
  access?: Access;
  collaborators?: string[];
}

/**
 * The state behind the fake GitHub: accounts, repositories with their branches, issues, pull
 * requests and comments. Tests seed it and read it back; the routes change it.
 */
export class GitHubWorld {
  readonly accounts = new Map<string, Account>();
  readonly repos = new Map<string, RepoRecord>();
  private nextId = 1000;
  private nextSha = 1;

  constructor(readonly viewer: string) {
    this.addAccount(viewer, "User");
  }

  id(): number {
    return this.nextId++;
  }

  /** A new commit sha (40 hex digits, like git's). */
  sha(): string {
    return createHash("sha1").update(`commit ${this.nextSha++}`).digest("hex");
  }

  now(): string {
    return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  addAccount(login: string, type: Account["type"], members: string[] = []): Account {
    const account: Account = { id: this.id(), login, type, members: new Set(members) };
    this.accounts.set(login.toLowerCase(), account);
    return account;
  }

  account(login: string): Account | undefined {
    return this.accounts.get(login.toLowerCase());
  }

  addRepo(spec: NewRepo): RepoRecord {
    if (this.account(spec.owner) === undefined) this.addAccount(spec.owner, "User");
    const branches = spec.branches ?? ["main"];
    const repo: RepoRecord = {
      id: this.id(),
      name: spec.name,
      owner: this.account(spec.owner)?.login ?? spec.owner,
      private: spec.private ?? false,
      description: spec.description ?? null,
      homepage: null,
      defaultBranch: spec.defaultBranch ?? branches[0] ?? "main",
      refs: new Map(),
      commits: new Set(),
      access: spec.access ?? this.defaultAccess(spec),
      collaborators: new Set(spec.collaborators ?? []),
      fork: false,
      createdAt: this.now(),
      updatedAt: this.now(),
      pushedAt: null,
      issues: [],
      comments: [],
    };
    for (const branch of branches) this.push(repo, branch);
    this.repos.set(`${repo.owner}/${repo.name}`.toLowerCase(), repo);
    return repo;
  }

  private defaultAccess(spec: NewRepo): Access {
    if (this.ownedByViewer(spec.owner)) return "admin";
    if (spec.collaborators?.includes(this.viewer) === true) return "write";
    return spec.private === true ? "none" : "read";
  }

  /** Whether the viewer is the owner, a member of the owning organisation, or a collaborator. */
  affiliated(repo: RepoRecord): boolean {
    return this.ownedByViewer(repo.owner) || repo.collaborators.has(this.viewer);
  }

  /** Whether the viewer owns repositories of `owner` (they are the owner or a member). */
  ownedByViewer(owner: string): boolean {
    const account = this.account(owner);
    if (account === undefined) return owner.toLowerCase() === this.viewer.toLowerCase();
    if (account.type === "User") return account.login.toLowerCase() === this.viewer.toLowerCase();
    return account.members.has(this.viewer);
  }

  /** A repository as the viewer sees it: undefined when it does not exist or is not visible. */
  visibleRepo(owner: string, name: string): RepoRecord | undefined {
    const repo = this.repos.get(`${owner}/${name}`.toLowerCase());
    if (repo === undefined) return undefined;
    return repo.private && repo.access === "none" ? undefined : repo;
  }

  /** A new commit on `branch` (created when missing), as a push would make it. */
  push(repo: RepoRecord, branch: string): string {
    const sha = this.sha();
    repo.commits.add(sha);
    repo.refs.set(branch, sha);
    repo.pushedAt = this.now();
    for (const issue of repo.issues) {
      if (issue.pull?.head.ref === branch && issue.state === "open") issue.pull.head.sha = sha;
    }
    return sha;
  }

  repo(owner: string, name: string): RepoRecord {
    const repo = this.repos.get(`${owner}/${name}`.toLowerCase());
    if (repo === undefined) throw new Error(`no repository ${owner}/${name} in the fake`);
    return repo;
  }

  issue(repo: RepoRecord, number: number): IssueRecord | undefined {
    return repo.issues.find((i) => i.number === number);
  }
}
