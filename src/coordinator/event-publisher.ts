import type { SystemEvent, TaskRecord, TaskStatus } from "../domain/index.js";
import type { AgentEntry } from "./agent-entry.js";
import type { AgentChange, TransitionObserver } from "./coordinator-state.js";
import type { EventBus } from "./event-bus.js";
import type { GroupCommitter } from "./group-committer.js";

/**
 * Turns what the coordinator does into live events: every task transition ("task.transition")
 * and every agent registration or state change ("agent.registered", "agent.online",
 * "agent.draining", "agent.offline"). An event is published only once the change it reports
 * is durable, so a watcher never sees what a crash could undo. When nobody watches, nothing is
 * built.
 */
export class EventPublisher implements TransitionObserver {
  constructor(
    private readonly bus: EventBus,
    private readonly committer: GroupCommitter,
  ) {}

  /**
   * Publishes `event` after the commit that holds everything staged so far. Other parts of the
   * coordinator (messages, knowledge) publish through here for the same guarantee.
   */
  publish(event: Omit<SystemEvent, "seq">): void {
    if (!this.bus.hasSubscribers) return;
    this.committer.afterCommit(() => this.bus.publish(event));
  }

  onTransition(
    task: TaskRecord,
    from: TaskStatus | null,
    to: TaskStatus,
    at: number,
    actor: string,
  ): void {
    if (!this.bus.hasSubscribers) return;
    this.publish({
      topic: "task",
      type: "task.transition",
      at,
      projectId: task.projectId,
      taskId: task.id,
      agentId: task.agentId,
      data: {
        from,
        to,
        reason: task.statusReason,
        actor,
        attempt: task.attempt,
        title: task.title,
        task_type: task.type,
        priority: task.priority,
      },
    });
  }

  onAgentChange(agent: AgentEntry, change: AgentChange): void {
    if (!this.bus.hasSubscribers) return;
    const record = agent.record;
    this.publish({
      topic: "agent",
      type: change === "registered" ? "agent.registered" : `agent.${record.state}`,
      at: Date.now(),
      projectId: null,
      taskId: null,
      agentId: agent.id,
      data: {
        name: record.name,
        agent_type: record.type,
        state: record.state,
        transport: record.transport,
        load: agent.load,
        max_concurrency: record.maxConcurrency,
      },
    });
  }
}
