import {
  AppError,
  type KnowledgeEntryRecord,
  type KnowledgePublishSpec,
  type KnowledgeSearchSpec,
  type KnowledgeUpdateSpec,
} from "../domain/index.js";
import type {
  KnowledgeEntry as WireKnowledgeEntry,
  PublishKnowledgeRequest,
  SearchKnowledgeRequest,
  UpdateKnowledgeRequest,
} from "../gen/mcp/v1/knowledge.js";
import { knowledgeScopeFromWire, knowledgeScopeToWire } from "./enum-maps.js";

/** Knowledge between the domain and the KnowledgeService messages: the one place they are mapped. */

export function knowledgeToWire(entry: KnowledgeEntryRecord): WireKnowledgeEntry {
  return {
    id: entry.id,
    version: entry.version,
    title: entry.title,
    content: entry.content,
    tags: entry.tags,
    scope: knowledgeScopeToWire(entry.scope),
    scopeId: entry.scopeId ?? "",
    author: entry.author,
    createdAtMs: entry.createdAt,
    updatedAtMs: entry.updatedAt,
  };
}

/** An entry as received (the gateway's side); a scope the sender left unset is refused. */
export function knowledgeFromWire(entry: WireKnowledgeEntry | undefined): KnowledgeEntryRecord {
  if (entry === undefined)
    throw new AppError("internal", "the coordinator answered without an entry");
  const scope = knowledgeScopeFromWire(entry.scope, "entry.scope");
  if (scope === null) throw new AppError("internal", `knowledge entry ${entry.id} has no scope`);
  return {
    id: entry.id,
    version: entry.version,
    title: entry.title,
    content: entry.content,
    tags: entry.tags,
    scope,
    scopeId: entry.scopeId === "" ? null : entry.scopeId,
    author: entry.author,
    createdAt: entry.createdAtMs,
    updatedAt: entry.updatedAtMs,
  };
}

/** An unset scope publishes globally. */
export function publishSpecFromWire(request: PublishKnowledgeRequest): KnowledgePublishSpec {
  return {
    title: request.title,
    content: request.content,
    tags: request.tags,
    author: request.author,
    scope: knowledgeScopeFromWire(request.scope, "scope") ?? "global",
    scopeId: request.scopeId === "" ? null : request.scopeId,
  };
}

export function publishSpecToWire(spec: KnowledgePublishSpec): PublishKnowledgeRequest {
  return {
    title: spec.title,
    content: spec.content,
    tags: spec.tags,
    author: spec.author,
    scope: knowledgeScopeToWire(spec.scope),
    scopeId: spec.scopeId ?? "",
  };
}

/** expected_version 0 means no check. */
export function updateSpecFromWire(request: UpdateKnowledgeRequest): KnowledgeUpdateSpec {
  return {
    id: request.id,
    expectedVersion: request.expectedVersion === 0 ? null : request.expectedVersion,
    title: request.title,
    content: request.content,
    tags: request.tags,
    author: request.author,
  };
}

export function updateSpecToWire(spec: KnowledgeUpdateSpec): UpdateKnowledgeRequest {
  return {
    id: spec.id,
    expectedVersion: spec.expectedVersion ?? 0,
    title: spec.title,
    content: spec.content,
    tags: spec.tags,
    author: spec.author,
  };
}

/** Empty strings and 0 are proto's "unset": no query, any scope id, the default limit. */
export function searchSpecFromWire(request: SearchKnowledgeRequest): KnowledgeSearchSpec {
  return {
    query: request.query === "" ? null : request.query,
    tags: request.tags,
    scope: knowledgeScopeFromWire(request.scope, "scope"),
    scopeId: request.scopeId === "" ? null : request.scopeId,
    limit: request.limit === 0 ? null : request.limit,
  };
}

export function searchSpecToWire(spec: KnowledgeSearchSpec): SearchKnowledgeRequest {
  return {
    query: spec.query ?? "",
    tags: spec.tags,
    scope: knowledgeScopeToWire(spec.scope),
    scopeId: spec.scopeId ?? "",
    limit: spec.limit ?? 0,
  };
}
