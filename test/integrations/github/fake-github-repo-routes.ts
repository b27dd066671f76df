import { refJson, repoJson, userJson } from "./fake-github-json.js";
import {
  accountOf,
  GitHubHttpError,
  notFound,
  paginate,
  repoOf,
  requireWrite,
  type Reply,
  type Route,
  type RouteContext,
  sortBy,
  stringField,
  validationFailed,
} from "./fake-github-http.js";
import type { RepoRecord } from "./fake-github-world.js";

const REPO_NAME = /^[A-Za-z0-9._-]{1,100}$/;

function listRepos(
  context: RouteContext,
  repos: RepoRecord[],
  validTypes: string[],
  defaultSort: string,
  filter: (repo: RepoRecord, type: string) => boolean,
): Reply {
  const type = context.query.get("type") ?? "all";
  if (!validTypes.includes(type)) {
    throw validationFailed({ resource: "Repository", field: "type", code: "invalid" });
  }
  const sort = context.query.get("sort") ?? defaultSort;
  const direction = context.query.get("direction") ?? (sort === "full_name" ? "asc" : "desc");
  const key = (repo: RepoRecord) =>
    sort === "full_name"
      ? `${repo.owner}/${repo.name}`.toLowerCase()
      : sort === "pushed"
        ? (repo.pushedAt ?? "")
        : sort === "updated"
          ? repo.updatedAt
          : `${repo.createdAt}${String(repo.id).padStart(10, "0")}`;
  const matching = sortBy(
    repos.filter((r) => filter(r, type)),
    key,
    direction,
  );
  const { page, headers } = paginate(context, matching);
  const owner = accountOf(context.world);
  return { status: 200, body: page.map((r) => repoJson(context.urls, r, owner(r.owner))), headers };
}

function createRepo(context: RouteContext, owner: string): Reply {
  const { world, body } = context;
  const name = stringField(body, "name");
  if (name === undefined)
    throw validationFailed({ resource: "Repository", code: "missing_field", field: "name" });
  if (!REPO_NAME.test(name)) {
    throw validationFailed({
      resource: "Repository",
      code: "custom",
      field: "name",
      message: "name is invalid",
    });
  }
  if (world.repos.has(`${owner}/${name}`.toLowerCase())) {
    throw new GitHubHttpError(422, "Repository creation failed.", {
      errors: [
        {
          resource: "Repository",
          code: "custom",
          field: "name",
          message: "name already exists on this account",
        },
      ],
    });
  }
  const repo = world.addRepo({
    owner,
    name,
    private: body.private === true,
    ...(typeof body.description === "string" ? { description: body.description } : {}),
    branches: body.auto_init === true ? ["main"] : [],
    defaultBranch: "main",
    access: "admin",
  });
  repo.homepage = stringField(body, "homepage") ?? null;
  return {
    status: 201,
    body: repoJson(context.urls, repo, accountOf(world)(repo.owner)),
    headers: { location: `${context.urls.api}/repos/${repo.owner}/${repo.name}` },
  };
}

/** Accounts, repositories and git refs. */
export const repoRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/user",
    handle: ({ world, urls }) => {
      const me = accountOf(world)(world.viewer);
      return {
        status: 200,
        body: {
          ...userJson(urls, me),
          name: "The Octocat",
          public_repos: 2,
          created_at: "2011-01-25T18:44:36Z",
        },
        headers: { "x-oauth-scopes": "repo, workflow", "x-accepted-oauth-scopes": "" },
      };
    },
  },
  {
    method: "GET",
    pattern: "/users/{username}",
    handle: ({ world, urls, params }) => {
      const account = world.account(params.username ?? "");
      if (account === undefined) throw notFound();
      return { status: 200, body: userJson(urls, account) };
    },
  },
  {
    method: "GET",
    pattern: "/user/repos",
    handle: (context) => {
      const { world } = context;
      const visible = [...world.repos.values()].filter((r) => world.affiliated(r));
      return listRepos(
        context,
        visible,
        ["all", "owner", "public", "private", "member"],
        "full_name",
        (r, type) => {
          const own = r.owner.toLowerCase() === world.viewer.toLowerCase();
          if (type === "owner") return own;
          if (type === "public") return !r.private;
          if (type === "private") return r.private;
          if (type === "member") return !own;
          return true;
        },
      );
    },
  },
  {
    method: "GET",
    pattern: "/users/{username}/repos",
    handle: (context) => {
      const account = context.world.account(context.params.username ?? "");
      if (account === undefined) throw notFound();
      const theirs = [...context.world.repos.values()].filter(
        (r) => r.owner.toLowerCase() === account.login.toLowerCase() && !r.private,
      );
      return listRepos(
        context,
        theirs,
        ["all", "owner", "member"],
        "full_name",
        (_r, type) => type !== "member",
      );
    },
  },
  {
    method: "GET",
    pattern: "/orgs/{org}/repos",
    handle: (context) => {
      const org = context.world.account(context.params.org ?? "");
      if (org?.type !== "Organization") throw notFound();
      const member = org.members.has(context.world.viewer);
      const theirs = [...context.world.repos.values()].filter(
        (r) => r.owner.toLowerCase() === org.login.toLowerCase() && (!r.private || member),
      );
      return listRepos(
        context,
        theirs,
        ["all", "public", "private", "forks", "sources", "member"],
        "created",
        (r, type) =>
          type === "public"
            ? !r.private
            : type === "private"
              ? r.private
              : type === "forks"
                ? r.fork
                : type === "sources"
                  ? !r.fork
                  : true,
      );
    },
  },
  {
    method: "POST",
    pattern: "/user/repos",
    handle: (context) => createRepo(context, context.world.viewer),
  },
  {
    method: "POST",
    pattern: "/orgs/{org}/repos",
    handle: (context) => {
      const org = context.world.account(context.params.org ?? "");
      if (org?.type !== "Organization") throw notFound();
      if (!org.members.has(context.world.viewer)) {
        throw new GitHubHttpError(
          403,
          "You need admin access to the organization before adding a repository to it.",
        );
      }
      return createRepo(context, org.login);
    },
  },
  {
    method: "GET",
    pattern: "/repos/{owner}/{repo}",
    handle: (context) => {
      const repo = repoOf(context);
      return {
        status: 200,
        body: repoJson(context.urls, repo, accountOf(context.world)(repo.owner)),
      };
    },
  },
  {
    method: "GET",
    pattern: "/repos/{owner}/{repo}/git/ref/{ref+}",
    handle: (context) => {
      const repo = repoOf(context);
      if (repo.refs.size === 0) throw new GitHubHttpError(409, "Git Repository is empty.");
      const ref = context.params.ref ?? "";
      const branch = ref.startsWith("heads/") ? ref.slice("heads/".length) : undefined;
      const sha = branch === undefined ? undefined : repo.refs.get(branch);
      if (branch === undefined || sha === undefined) throw notFound();
      return { status: 200, body: refJson(context.urls, repo, branch, sha) };
    },
  },
  {
    method: "POST",
    pattern: "/repos/{owner}/{repo}/git/refs",
    handle: (context) => {
      const repo = repoOf(context);
      requireWrite(repo);
      const ref = stringField(context.body, "ref");
      const sha = stringField(context.body, "sha");
      if (ref === undefined || sha === undefined) {
        throw validationFailed({
          resource: "Reference",
          code: "missing_field",
          field: ref === undefined ? "ref" : "sha",
        });
      }
      if (!/^refs\/[^/]+\/.+/.test(ref))
        throw new GitHubHttpError(422, "Reference name is invalid");
      if (!ref.startsWith("refs/heads/"))
        throw new GitHubHttpError(422, "Only branch refs are kept by this fake");
      const branch = ref.slice("refs/heads/".length);
      if (repo.refs.has(branch)) throw new GitHubHttpError(422, "Reference already exists");
      if (!repo.commits.has(sha)) throw new GitHubHttpError(422, "Object does not exist");
      repo.refs.set(branch, sha);
      return {
        status: 201,
        body: refJson(context.urls, repo, branch, sha),
        headers: { location: `${context.urls.api}/repos/${repo.owner}/${repo.name}/git/${ref}` },
      };
    },
  },
];
