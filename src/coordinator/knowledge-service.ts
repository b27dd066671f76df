import {
  knowledgeToWire,
  publishSpecFromWire,
  searchSpecFromWire,
  updateSpecFromWire,
} from "../contract/index.js";
import type { KnowledgeServiceServer } from "../gen/mcp/v1/knowledge.js";
import { unary } from "../rpc/index.js";
import type { KnowledgeBase } from "./knowledge-base.js";

/** KnowledgeService over gRPC: decodes, calls the knowledge base, encodes; errors become statuses. */
export function createKnowledgeService(knowledge: KnowledgeBase): KnowledgeServiceServer {
  return {
    publish: unary(async (request) => ({
      entry: knowledgeToWire(await knowledge.publish(publishSpecFromWire(request))),
    })),

    update: unary(async (request) => ({
      entry: knowledgeToWire(await knowledge.update(updateSpecFromWire(request))),
    })),

    get: unary(async (request) => ({
      entry: knowledgeToWire(await knowledge.get(request.id)),
    })),

    listVersions: unary(async (request) => ({
      versions: (await knowledge.versions(request.id)).map(knowledgeToWire),
    })),

    search: unary(async (request) => ({
      results: (await knowledge.search(searchSpecFromWire(request))).map((hit) => ({
        entry: knowledgeToWire(hit.entry),
        score: hit.score,
        snippet: hit.snippet,
      })),
    })),
  };
}
