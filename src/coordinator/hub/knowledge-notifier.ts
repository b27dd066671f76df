import { AppError, type KnowledgeEntryRecord, normalizeKnowledgeTags } from "../../domain/index.js";
import type { CoordinatorState } from "../coordinator-state.js";
import type { KnowledgeBase } from "../knowledge-base.js";
import type { MessageHub } from "./message-hub.js";

/**
 * Knowledge tag subscriptions: an agent subscribed to a tag gets a notification through the
 * hub (durable, in its mailbox) for every new or updated entry carrying it, except its own.
 */
export class KnowledgeNotifier {
  private readonly tagsByAgent = new Map<string, string[]>();

  constructor(
    private readonly state: CoordinatorState,
    private readonly hub: MessageHub,
    private readonly knowledge: KnowledgeBase,
  ) {}

  async start(): Promise<void> {
    for (const s of await this.state.store.knowledgeSubscriptions())
      if (s.tags.length > 0) this.tagsByAgent.set(s.agentId, s.tags);
    this.knowledge.onPublished((entry, isNew) => this.published(entry, isNew));
  }

  /** Replaces an agent's tags (none unsubscribes); resolves once durable. */
  async subscribe(agentId: string, tags: readonly string[]): Promise<string[]> {
    if (this.state.agents.get(agentId) === undefined) throw AppError.notFound("agent", agentId);
    const normalized = normalizeKnowledgeTags(tags, "tags");
    this.state.committer.stageKnowledgeSubscription({
      agentId,
      tags: normalized,
      updatedAt: Date.now(),
    });
    await this.state.committer.durable();
    if (normalized.length === 0) this.tagsByAgent.delete(agentId);
    else this.tagsByAgent.set(agentId, normalized);
    return normalized;
  }

  tagsOf(agentId: string): string[] {
    if (this.state.agents.get(agentId) === undefined) throw AppError.notFound("agent", agentId);
    return this.tagsByAgent.get(agentId) ?? [];
  }

  private published(entry: KnowledgeEntryRecord, isNew: boolean): void {
    for (const [agentId, tags] of this.tagsByAgent) {
      if (agentId === entry.author) continue;
      const matched = entry.tags.filter((t) => tags.includes(t));
      if (matched.length === 0) continue;
      this.hub
        .sendAsHub({
          type: "notification",
          to: { kind: "agent", agentId },
          subject: `knowledge ${isNew ? "published" : "updated"}: ${entry.title}`.slice(0, 200),
          body: {
            knowledge_id: entry.id,
            version: entry.version,
            title: entry.title,
            tags: entry.tags,
            matched_tags: matched,
            scope: entry.scope,
            scope_id: entry.scopeId,
            author: entry.author,
          },
          taskId: null,
          projectId: null,
          replyTo: null,
          correlationId: null,
          ttlMs: 0,
        })
        .catch((error: unknown) =>
          this.state.logger.warn(
            { agent_id: agentId, knowledge_id: entry.id, err: AppError.from(error).message },
            "could not notify a knowledge subscriber",
          ),
        );
    }
  }
}
