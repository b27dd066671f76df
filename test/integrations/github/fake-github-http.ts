import type { Account, GitHubWorld, RepoRecord } from "./fake-github-world.js";
import type { Urls } from "./fake-github-json.js";

export const DOCS = "https://docs.github.com/rest";

/** What a route answers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What a route gets. */
export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The JSON body (an object; {} when none). */
  body: Record<string, unknown>;
  world: GitHubWorld;
  urls: Urls;
  /** The request's path under the API base, e.g. /user/repos. */
  path: string;
}

export interface Route {
  method: string;
  /** GitHub's documented path, e.g. /repos/{owner}/{repo}/pulls; a trailing {name+} takes the rest. */
  pattern: string;
  handle(context: RouteContext): Reply;
}

/** GitHub's error body: message, documentation_url, and (lately) the status as a string. */
export function errorBody(status: number, message: string, extra: Record<string, unknown> = {}) {
  return { message, ...extra, documentation_url: DOCS, status: String(status) };
}

/** A refusal a route throws; the server answers it as GitHub would. */
export class GitHubHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = () => new GitHubHttpError(404, "Not Found");

/** 422 "Validation Failed" with GitHub's `errors` array. */
export const validationFailed = (...errors: Record<string, unknown>[]) =>
  new GitHubHttpError(422, "Validation Failed", { errors });

export const notAccessible = () =>
  new GitHubHttpError(403, "Resource not accessible by personal access token");

export function accountOf(world: GitHubWorld): (login: string) => Account {
  return (login) => world.account(login) ?? world.addAccount(login, "User");
}

/** The repository named by the route's {owner}/{repo}, as the viewer sees it, else 404. */
export function repoOf(context: RouteContext): RepoRecord {
  const { owner = "", repo = "" } = context.params;
  const found = context.world.visibleRepo(owner, repo);
  if (found === undefined) throw notFound();
  return found;
}

export function requireWrite(repo: RepoRecord): void {
  if (repo.access !== "admin" && repo.access !== "write") throw notAccessible();
}

export function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === "string" ? value : undefined;
}

/** One page of `items` (per_page default 30, max 100) with GitHub's `link` header. */
export function paginate<T>(
  context: RouteContext,
  items: T[],
): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number(context.query.get("per_page") ?? "30") || 30));
  const page = Math.max(1, Number(context.query.get("page") ?? "1") || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string) => {
    const query = new URLSearchParams(context.query);
    query.set("page", String(n));
    return `<${context.urls.api}${context.path}?${query.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, "prev"), link(1, "first"));
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(", ") } : {},
  };
}

/** Sorts by `key` then applies `direction` (asc/desc). */
export function sortBy<T>(items: T[], key: (item: T) => string, direction: string): T[] {
  const sorted = [...items].sort((a, b) => key(a).localeCompare(key(b)));
  return direction === "desc" ? sorted.reverse() : sorted;
}
