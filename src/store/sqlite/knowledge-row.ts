import { isKnowledgeScope, type KnowledgeEntryRecord } from "../../domain/index.js";
import { decodeEnumColumn, parseJsonColumn } from "./row-decoding.js";

/**
 * An entry at one version as the store reads it: a row of `knowledge`, or a row of
 * `knowledge_versions` joined with its entry's scope and creation time. Keys are column names.
 */
export interface KnowledgeRow {
  id: string;
  version: number;
  title: string;
  content: string;
  /** A JSON array. */
  tags: string;
  scope: string;
  scope_id: string | null;
  author: string;
  created_at: number;
  updated_at: number;
}

/** A row of `knowledge_versions`. */
export interface KnowledgeVersionRow {
  knowledge_id: string;
  version: number;
  title: string;
  content: string;
  tags: string;
  author: string;
  updated_at: number;
}

/** The columns of `knowledge` a record is read from, in KnowledgeRow order. */
export const KNOWLEDGE_SELECT =
  "k.id, k.version, k.title, k.content, k.tags, k.scope, k.scope_id, k.author, k.created_at, k.updated_at";

export function knowledgeToRow(record: KnowledgeEntryRecord): KnowledgeRow {
  return {
    id: record.id,
    version: record.version,
    title: record.title,
    content: record.content,
    tags: JSON.stringify(record.tags),
    scope: record.scope,
    scope_id: record.scopeId,
    author: record.author,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

export function knowledgeVersionToRow(record: KnowledgeEntryRecord): KnowledgeVersionRow {
  return {
    knowledge_id: record.id,
    version: record.version,
    title: record.title,
    content: record.content,
    tags: JSON.stringify(record.tags),
    author: record.author,
    updated_at: record.updatedAt,
  };
}

export function knowledgeFromRow(row: KnowledgeRow): KnowledgeEntryRecord {
  const id = row.id;
  return {
    id,
    version: row.version,
    title: row.title,
    content: row.content,
    tags: parseJsonColumn<string[]>(row.tags, "knowledge", "tags", id),
    scope: decodeEnumColumn(row.scope, isKnowledgeScope, "knowledge", "scope", id),
    scopeId: row.scope_id,
    author: row.author,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
