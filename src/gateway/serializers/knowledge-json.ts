import {
  knowledgeFromWire,
  publishSpecToWire,
  searchSpecToWire,
  updateSpecToWire,
} from "../../contract/index.js";
import {
  validateKnowledgePublish,
  validateKnowledgeSearch,
  validateKnowledgeUpdate,
} from "../../domain/index.js";
import type {
  KnowledgeEntry,
  KnowledgeSearchResult,
  PublishKnowledgeRequest,
  SearchKnowledgeRequest,
  UpdateKnowledgeRequest,
} from "../../gen/mcp/v1/knowledge.js";
import type {
  KnowledgeEntryJson,
  KnowledgeSearchJson,
  PublishKnowledgeBody,
  SearchKnowledgeQuery,
  UpdateKnowledgeBody,
} from "../schemas/knowledge-schemas.js";
import { isoTime } from "./time-json.js";

/** Knowledge between the REST API's JSON and the coordinator's messages: the one place they are mapped. */

export function knowledgeToJson(wire: KnowledgeEntry | undefined): KnowledgeEntryJson {
  const entry = knowledgeFromWire(wire);
  return {
    id: entry.id,
    version: entry.version,
    title: entry.title,
    content: entry.content,
    tags: entry.tags,
    scope: entry.scope,
    scope_id: entry.scopeId,
    author: entry.author,
    created_at: isoTime(entry.createdAt),
    updated_at: isoTime(entry.updatedAt),
  };
}

export function searchResultsToJson(
  results: readonly KnowledgeSearchResult[],
): KnowledgeSearchJson {
  return {
    results: results.map((result) => ({
      entry: knowledgeToJson(result.entry),
      score: result.score,
      snippet: result.snippet,
    })),
  };
}

/** A published entry as the coordinator's request, after the domain's rules (absent scope: global). */
export function publishFromJson(
  body: PublishKnowledgeBody,
  field: string,
): PublishKnowledgeRequest {
  return publishSpecToWire(
    validateKnowledgePublish(
      {
        title: body.title,
        content: body.content,
        tags: body.tags ?? [],
        author: body.author,
        scope: body.scope ?? "global",
        scopeId: body.scope_id ?? null,
      },
      field,
    ),
  );
}

/** A new version as the coordinator's request; absent tags mean none (the body replaces). */
export function updateFromJson(
  id: string,
  body: UpdateKnowledgeBody,
  field: string,
): UpdateKnowledgeRequest {
  return updateSpecToWire(
    validateKnowledgeUpdate(
      {
        id,
        expectedVersion: body.expected_version ?? null,
        title: body.title,
        content: body.content,
        tags: body.tags ?? [],
        author: body.author,
      },
      field,
    ),
  );
}

/** A search from the query string: tags are comma-separated. */
export function searchFromQuery(
  query: SearchKnowledgeQuery,
  field: string,
): SearchKnowledgeRequest {
  const tags = (query.tags ?? "")
    .split(",")
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "");
  const valid = validateKnowledgeSearch(
    {
      query: query.q ?? null,
      tags,
      scope: query.scope ?? null,
      scopeId: query.scope_id ?? null,
      limit: query.limit ?? null,
    },
    field,
    "q",
  );
  return searchSpecToWire(valid);
}
