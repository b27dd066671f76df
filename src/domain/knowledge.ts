/** What a knowledge entry is about: everything, one project, or one task. */
export const KNOWLEDGE_SCOPES = ["global", "project", "task"] as const;

export type KnowledgeScope = (typeof KNOWLEDGE_SCOPES)[number];

export function isKnowledgeScope(value: unknown): value is KnowledgeScope {
  return typeof value === "string" && (KNOWLEDGE_SCOPES as readonly string[]).includes(value);
}

/**
 * A knowledge entry as of one version. The entry's current state is its latest version; its
 * scope and creation time are fixed when it is published. Times are milliseconds since the
 * epoch.
 */
export interface KnowledgeEntryRecord {
  id: string;
  /** 1 when published; grows by one with every update. */
  version: number;
  title: string;
  content: string;
  /** Normalised (see normalizeKnowledgeTags): lower case, sorted, no repeats. */
  tags: string[];
  scope: KnowledgeScope;
  /** The project or task the entry is about; null for the global scope. */
  scopeId: string | null;
  /** Who wrote this version. */
  author: string;
  /** When the entry was first published. */
  createdAt: number;
  /** When this version was written. */
  updatedAt: number;
}

/**
 * One version of an entry, whole and immutable once written: what the coordinator stages and
 * the store keeps in the entry's history. The same shape as the entry it makes current.
 */
export type KnowledgeVersionRecord = KnowledgeEntryRecord;
