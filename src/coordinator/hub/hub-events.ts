import type { EventBus } from "../event-bus.js";
import type { KnowledgeBase } from "../knowledge-base.js";
import type { MessageHub } from "./message-hub.js";

/**
 * Live events of the hub and the knowledge base: every durable message (`message.<type>`),
 * every message dropped unread (`message.dropped`), every new or updated knowledge entry.
 * Bodies and contents are not in the events: they are read over the API.
 */
export function publishHubEvents(
  events: EventBus,
  hub: MessageHub,
  knowledge: KnowledgeBase,
): void {
  hub.observe({
    onMessage(message) {
      if (!events.hasSubscribers) return;
      events.publish({
        topic: "message",
        type: `message.${message.type}`,
        at: message.createdAt,
        projectId: message.projectId,
        taskId: message.taskId,
        agentId: null,
        data: {
          id: message.id,
          seq: message.seq,
          sender: message.sender,
          recipients: message.recipients,
          subject: message.subject,
          correlation_id: message.correlationId,
        },
      });
    },
    onDropped(agentId, message) {
      if (!events.hasSubscribers) return;
      events.publish({
        topic: "message",
        type: "message.dropped",
        at: Date.now(),
        projectId: message.projectId,
        taskId: message.taskId,
        agentId,
        data: { id: message.id, seq: message.seq, reason: "expired before delivery" },
      });
    },
  });
  knowledge.onPublished((entry, isNew) => {
    if (!events.hasSubscribers) return;
    events.publish({
      topic: "knowledge",
      type: isNew ? "knowledge.published" : "knowledge.updated",
      at: entry.updatedAt,
      projectId: entry.scope === "project" ? entry.scopeId : null,
      taskId: entry.scope === "task" ? entry.scopeId : null,
      agentId: null,
      data: {
        id: entry.id,
        version: entry.version,
        title: entry.title,
        tags: entry.tags,
        scope: entry.scope,
        author: entry.author,
      },
    });
  });
}
