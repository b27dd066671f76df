import { AppError } from "../../domain/index.js";
import type { KnowledgeQuery } from "../knowledge-query.js";
import { ftsMatch } from "./fts-match.js";
import { KNOWLEDGE_SELECT } from "./knowledge-row.js";

/**
 * bm25 weights of the index's columns (title, content, tags): a word in the title counts ten
 * times a word in the content, a tag five times. bm25 already favours short fields, so the
 * weights say which field matters, not how long it is.
 */
export const KNOWLEDGE_BM25_WEIGHTS = { title: 10, content: 1, tags: 5 } as const;

/** Tokens in a snippet around the best match (FTS5 allows up to 64). */
const SNIPPET_TOKENS = 24;

/** The search statement for a query (its text depends only on which filters are set). */
export interface KnowledgeSearchSql {
  sql: string;
  params: Array<string | number>;
  /** Whether rows carry `rank` (bm25, lower is better) and `snippet`. */
  ranked: boolean;
}

/**
 * Turns a query into one SELECT with placeholders. With text: a MATCH over the full-text
 * index, ordered by weighted bm25, with FTS5's snippet of the content. Without: the current
 * entries, newest first. Values are always bound; user text reaches FTS5 only as quoted terms.
 */
export function knowledgeSearchSql(query: KnowledgeQuery): KnowledgeSearchSql {
  const conditions: string[] = [];
  const params: Array<string | number> = [];
  let match: string | null = null;
  if (query.text !== null && query.text.trim() !== "") {
    match = ftsMatch(query.text);
    if (match === null) {
      throw AppError.invalidArgument(
        "query",
        "query has no words to search for (letters or digits)",
      );
    }
    conditions.push("knowledge_fts MATCH ?");
    params.push(match);
  }
  if (query.scope !== undefined) {
    conditions.push("k.scope = ?");
    params.push(query.scope);
  }
  if (query.scopeId !== undefined) {
    conditions.push("k.scope_id = ?");
    params.push(query.scopeId);
  }
  const tags = [...new Set(query.tags)];
  if (tags.length > 0) {
    conditions.push(
      `k.id IN (SELECT knowledge_id FROM knowledge_tags WHERE tag IN (${tags.map(() => "?").join(", ")}) GROUP BY knowledge_id HAVING COUNT(*) = ?)`,
    );
    params.push(...tags, tags.length);
  }
  const where = conditions.length === 0 ? "" : ` WHERE ${conditions.join(" AND ")}`;
  params.push(query.limit);
  if (match === null) {
    return {
      sql: `SELECT ${KNOWLEDGE_SELECT} FROM knowledge k${where} ORDER BY k.updated_at DESC, k.seq DESC LIMIT ?`,
      params,
      ranked: false,
    };
  }
  const { title, content, tags: tagWeight } = KNOWLEDGE_BM25_WEIGHTS;
  return {
    sql:
      `SELECT ${KNOWLEDGE_SELECT}, bm25(knowledge_fts, ${title}, ${content}, ${tagWeight}) AS rank, ` +
      `snippet(knowledge_fts, 1, '', '', '…', ${SNIPPET_TOKENS}) AS snippet ` +
      `FROM knowledge_fts JOIN knowledge k ON k.seq = knowledge_fts.rowid${where} ` +
      "ORDER BY rank, k.seq DESC LIMIT ?",
    params,
    ranked: true,
  };
}

/** Characters of a snippet taken from the content's beginning (a search without text). */
const LEADING_EXCERPT_CHARS = 160;

/** A snippet in the one shape: whitespace folded; the content's beginning when `text` is null. */
export function snippetOf(content: string, ftsSnippet: string | null): string {
  const folded = (ftsSnippet ?? content).replace(/\s+/gu, " ").trim();
  if (ftsSnippet !== null || folded.length <= LEADING_EXCERPT_CHARS) return folded;
  const cut = folded.slice(0, LEADING_EXCERPT_CHARS);
  const space = cut.lastIndexOf(" ");
  return `${(space > LEADING_EXCERPT_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
