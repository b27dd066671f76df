import {
  knowledgeToWire,
  publishSpecFromWire,
  searchSpecFromWire,
  updateSpecFromWire,
} from "../contract/index.js";
import type { KnowledgeServiceServer } from "../gen/mcp/v1/knowledge.js";
import { AppError } from "../domain/index.js";
import { unary } from "../rpc/index.js";
import type { KnowledgeNotifier } from "./hub/knowledge-notifier.js";
import type { KnowledgeBase } from "./knowledge-base.js";
import { pageSize, requireId } from "./request-fields.js";

/** KnowledgeService over gRPC: decodes, calls the knowledge base, encodes; errors become statuses. */
export function createKnowledgeService(
  knowledge: KnowledgeBase,
  notifier: KnowledgeNotifier,
): KnowledgeServiceServer {
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

    setSubscription: unary(async (request) => {
      const agentId = requireId(request.agentId, "agent_id");
      return { agentId, tags: await notifier.subscribe(agentId, request.tags) };
    }),

    getSubscription: unary(async (request) => {
      const agentId = requireId(request.agentId, "agent_id");
      return { agentId, tags: notifier.tagsOf(agentId) };
    }),

    listForTask: unary(async (request) => {
      const taskId = requireId(request.taskId, "task_id");
      const limit = pageSize(request.limit, 20, "limit");
      if (limit > 100) throw AppError.invalidArgument("limit", "limit must be from 1 to 100");
      return { entries: (await knowledge.forTask(taskId, limit)).map(knowledgeToWire) };
    }),
  };
}
