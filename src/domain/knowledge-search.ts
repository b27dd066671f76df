import { AppError } from "./app-error.js";
import { fieldPath } from "./field-checks.js";
import type { KnowledgeScope } from "./knowledge.js";
import { normalizeKnowledgeTags } from "./knowledge-spec.js";

/** Limits on one knowledge search. */
export const KNOWLEDGE_SEARCH_LIMITS = {
  queryLength: 1_000,
  terms: 32,
  defaultLimit: 20,
  maxLimit: 100,
} as const;

/** A search as a client asks it, after decoding. */
export interface KnowledgeSearchSpec {
  /** Plain words; null (or blank) searches by tags alone. */
  query: string | null;
  /** Entries must carry every one of these. */
  tags: string[];
  /** Null: any scope. */
  scope: KnowledgeScope | null;
  /** With the project or task scope: that project's or task's entries only. */
  scopeId: string | null;
  /** Null means the default (20). */
  limit: number | null;
}

/** A search after its rules: `query` is null or has at least one term; limit is resolved. */
export interface ValidKnowledgeSearch {
  query: string | null;
  tags: string[];
  scope: KnowledgeScope | null;
  scopeId: string | null;
  limit: number;
}

/** A term must hold at least one letter or digit. */
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/**
 * What is not part of a word: anything but letters, digits and combining marks (what
 * full-text tokenizers keep). It separates words and is never query syntax.
 */
const NOT_WORD_CHARACTERS = /[^\p{L}\p{N}\p{M}]+/gu;

/**
 * The terms of a plain-text query. Whitespace separates terms; inside a term, punctuation
 * separates words that must appear together in order ("node.js" is the term "node js"). What
 * is not a letter, digit or mark never survives, so no term can carry query syntax (quotes,
 * parentheses, operators, column filters); a stand-alone `AND` or `NEAR` is just a word.
 * Returns [] when nothing searchable is left.
 */
export function searchTerms(query: string): string[] {
  const terms: string[] = [];
  for (const chunk of query.split(/\s+/u)) {
    if (!LETTER_OR_DIGIT.test(chunk)) continue;
    terms.push(chunk.replace(NOT_WORD_CHARACTERS, " ").trim());
  }
  return terms;
}

/**
 * Checks a search and resolves its defaults. A query is required unless tags are given; a
 * query with no letter or digit in it is refused rather than ignored. `field` prefixes field
 * names in errors; `queryName` is what the caller calls the query ("q" in a URL).
 */
export function validateKnowledgeSearch(
  spec: KnowledgeSearchSpec,
  field = "",
  queryName = "query",
): ValidKnowledgeSearch {
  const at = (name: string) => fieldPath(field, name === "query" ? queryName : name);
  const text = spec.query?.trim() ?? "";
  const tags = normalizeKnowledgeTags(spec.tags, at("tags"));
  if (text === "" && tags.length === 0) {
    throw AppError.invalidArgument(at("query"), `${at("query")} is required unless tags are given`);
  }
  if (text.length > KNOWLEDGE_SEARCH_LIMITS.queryLength) {
    throw AppError.invalidArgument(
      at("query"),
      `${at("query")} must be at most ${KNOWLEDGE_SEARCH_LIMITS.queryLength} characters`,
    );
  }
  if (text !== "") {
    const terms = searchTerms(text);
    if (terms.length === 0) {
      throw AppError.invalidArgument(
        at("query"),
        `${at("query")} has no words to search for (letters or digits)`,
      );
    }
    if (terms.length > KNOWLEDGE_SEARCH_LIMITS.terms) {
      throw AppError.invalidArgument(
        at("query"),
        `${at("query")} must have at most ${KNOWLEDGE_SEARCH_LIMITS.terms} words`,
      );
    }
  }
  const scopeId = spec.scopeId?.trim() ?? "";
  if (scopeId !== "" && (spec.scope === null || spec.scope === "global")) {
    throw AppError.invalidArgument(
      at("scope_id"),
      `${at("scope_id")} needs the project or task scope`,
    );
  }
  const limit = spec.limit ?? KNOWLEDGE_SEARCH_LIMITS.defaultLimit;
  if (!Number.isInteger(limit) || limit < 1 || limit > KNOWLEDGE_SEARCH_LIMITS.maxLimit) {
    throw AppError.invalidArgument(
      at("limit"),
      `${at("limit")} must be from 1 to ${KNOWLEDGE_SEARCH_LIMITS.maxLimit}`,
    );
  }
  return {
    query: text === "" ? null : text,
    tags,
    scope: spec.scope,
    scopeId: scopeId === "" ? null : scopeId,
    limit,
  };
}
