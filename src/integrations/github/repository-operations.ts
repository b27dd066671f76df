import { Type } from "@sinclair/typebox";
import { AppError } from "../../domain/index.js";
import { defineOperation, type Operation } from "../integration.js";
import type { GitHubClient } from "./client.js";
import {
  hasNextPage,
  ownerOf,
  ownerParameter,
  pageParameter,
  perPageParameter,
  repoParameter,
} from "./parameters.js";
import { compactRepository } from "./results.js";

const LIST_TYPES = ["all", "owner", "public", "private", "member", "forks", "sources"] as const;
type ListType = (typeof LIST_TYPES)[number];
const SORT_KEYS = ["created", "updated", "pushed", "full_name"] as const;

/** Which `type` values each listing endpoint accepts (GitHub refuses the others). */
const USER_REPO_TYPES = ["all", "owner", "public", "private", "member"] as const;
const ORG_REPO_TYPES = ["all", "public", "private", "forks", "sources", "member"] as const;
const OTHER_USER_REPO_TYPES = ["all", "owner", "member"] as const;

function allowed<T extends string>(type: ListType | undefined, valid: readonly T[], whose: string) {
  if (type === undefined || (valid as readonly string[]).includes(type))
    return type as T | undefined;
  throw AppError.invalidArgument(
    "parameters.type",
    `parameters.type must be one of ${valid.join(", ")} when listing ${whose}`,
    { valid: [...valid] },
  );
}

const get = defineOperation({
  description: "Reads one repository: its default branch, visibility, URLs.",
  parameters: Type.Object(
    { owner: ownerParameter(), repo: repoParameter() },
    { additionalProperties: false },
  ),
  sideEffect: false,
  run: async (client: GitHubClient, p, { signal }) => {
    const { data } = await client.octokit.rest.repos.get({
      owner: ownerOf(client, p.owner),
      repo: p.repo,
      request: { signal },
    });
    return compactRepository(data);
  },
});

const list = defineOperation({
  description:
    "Lists repositories: the authenticated user's (owner omitted: their own, collaborations and organisations'), or those of the organisation or user named by owner.",
  parameters: Type.Object(
    {
      owner: Type.Optional(
        Type.String({
          pattern: "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$",
          description:
            "An organisation or user whose repositories to list; omitted: the authenticated user's (GITHUB_OWNER is not used here).",
        }),
      ),
      type: Type.Optional(
        Type.Union(
          LIST_TYPES.map((t) => Type.Literal(t)),
          {
            description:
              "Filter. Own repositories: all, owner, public, private, member. An organisation's: all, public, private, forks, sources, member. Another user's: all, owner, member.",
          },
        ),
      ),
      sort: Type.Optional(
        Type.Union(
          SORT_KEYS.map((s) => Type.Literal(s)),
          {
            description: "Sort key (GitHub's default: full_name, or created for an organisation).",
          },
        ),
      ),
      direction: Type.Optional(
        Type.Union([Type.Literal("asc"), Type.Literal("desc")], { description: "Sort order." }),
      ),
      per_page: perPageParameter(),
      page: pageParameter(),
    },
    { additionalProperties: false },
  ),
  sideEffect: false,
  run: async (client: GitHubClient, p, { signal }) => {
    const { octokit } = client;
    const paging = {
      per_page: p.per_page,
      page: p.page,
      ...(p.sort === undefined ? {} : { sort: p.sort }),
      ...(p.direction === undefined ? {} : { direction: p.direction }),
      request: { signal },
    };
    let answer;
    if (p.owner === undefined) {
      const type = allowed(p.type, USER_REPO_TYPES, "your own repositories");
      answer = await octokit.rest.repos.listForAuthenticatedUser({ ...paging, type });
    } else {
      // One listing endpoint for organisations, another for users: ask which the owner is.
      const { data: account } = await octokit.rest.users.getByUsername({
        username: p.owner,
        request: { signal },
      });
      if (account.type === "Organization") {
        const type = allowed(p.type, ORG_REPO_TYPES, "an organisation's repositories");
        answer = await octokit.rest.repos.listForOrg({ ...paging, org: p.owner, type });
      } else {
        const type = allowed(p.type, OTHER_USER_REPO_TYPES, "a user's repositories");
        answer = await octokit.rest.repos.listForUser({ ...paging, username: p.owner, type });
      }
    }
    return {
      repositories: answer.data.map(compactRepository),
      page: p.page,
      per_page: p.per_page,
      has_next_page: hasNextPage(answer.headers.link),
    };
  },
});

const create = defineOperation({
  description:
    "Creates a repository for the authenticated user, or in an organisation when org is given.",
  parameters: Type.Object(
    {
      name: repoParameter(),
      org: Type.Optional(
        Type.String({
          pattern: "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$",
          description: "Create it in this organisation; omitted: the authenticated user's.",
        }),
      ),
      description: Type.Optional(
        Type.String({ maxLength: 350, description: "Short description." }),
      ),
      homepage: Type.Optional(Type.String({ maxLength: 255, description: "A URL about it." })),
      private: Type.Boolean({ default: false, description: "Private repository." }),
      auto_init: Type.Boolean({
        default: false,
        description: "Create an initial commit with a README (the default branch then exists).",
      }),
    },
    { additionalProperties: false },
  ),
  sideEffect: true,
  run: async (client: GitHubClient, p, { signal }) => {
    const body = {
      name: p.name,
      private: p.private,
      auto_init: p.auto_init,
      ...(p.description === undefined ? {} : { description: p.description }),
      ...(p.homepage === undefined ? {} : { homepage: p.homepage }),
      request: { signal },
    };
    const { data } =
      p.org === undefined
        ? await client.octokit.rest.repos.createForAuthenticatedUser(body)
        : await client.octokit.rest.repos.createInOrg({ ...body, org: p.org });
    return compactRepository(data);
  },
});

export const repositoryOperations: Record<string, Operation<GitHubClient>> = {
  get_repository: get,
  list_repositories: list,
  create_repository: create,
};
