import type { KnowledgeEntryRecord, KnowledgeScope } from "../domain/index.js";

/**
 * A knowledge search as a store runs it. Filters combine with AND. The text is a user's plain
 * words, never query syntax: a store keeps only its terms (see `searchTerms` in the domain),
 * requires every one of them, the last also as a prefix, and refuses text that has no term
 * (`invalid_argument`, field "query") instead of failing inside its search engine.
 */
export interface KnowledgeQuery {
  /** Plain words; null searches by the other filters alone. */
  text: string | null;
  /** Normalised tags (see normalizeKnowledgeTags); an entry must carry every one. */
  tags: readonly string[];
  /** Only entries of this scope; absent means any. */
  scope?: KnowledgeScope;
  /** Only entries about this project or task. */
  scopeId?: string;
  /** Most results returned, at least 1. */
  limit: number;
}

/** One entry found by a search. */
export interface KnowledgeHit {
  /** The entry's current version. */
  entry: KnowledgeEntryRecord;
  /**
   * Relevance, higher is better; comparable only within one answer (it depends on the whole
   * collection). 0 when the query has no text.
   */
  score: number;
  /**
   * A short plain-text excerpt of the content (no markup, whitespace folded to single spaces):
   * around the best match when the query has text, else the content's beginning.
   */
  snippet: string;
}
