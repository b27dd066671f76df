import { Type } from "@sinclair/typebox";
import { AppError } from "../../domain/index.js";
import type { GitHubClient } from "./client.js";

/** A GitHub user or organisation login. */
export const ownerParameter = () =>
  Type.Optional(
    Type.String({
      pattern: "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$",
      description: "The repository's owner (user or organisation); default GITHUB_OWNER.",
    }),
  );

export const repoParameter = () =>
  Type.String({
    pattern: "^[A-Za-z0-9._-]{1,100}$",
    description: "The repository's name, without the owner.",
  });

export const branchParameter = (description: string) =>
  Type.String({ minLength: 1, maxLength: 255, pattern: "^(?!refs/)\\S+$", description });

export const perPageParameter = () =>
  Type.Integer({ minimum: 1, maximum: 100, default: 30, description: "Results per page (1-100)." });

export const pageParameter = () =>
  Type.Integer({ minimum: 1, default: 1, description: "Page number, from 1." });

/** The owner to use: the parameter, else GITHUB_OWNER. */
export function ownerOf(client: GitHubClient, owner: string | undefined): string {
  const resolved = owner ?? client.defaultOwner;
  if (resolved === undefined) {
    throw AppError.invalidArgument(
      "parameters.owner",
      "parameters.owner is required (or set GITHUB_OWNER for a default owner)",
    );
  }
  return resolved;
}

/** Whether GitHub's `link` header announces a next page. */
export function hasNextPage(link: string | undefined): boolean {
  return link !== undefined && /<[^>]*>;\s*rel="next"/.test(link);
}
