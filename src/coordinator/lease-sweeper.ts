import type { CoordinatorState } from "./coordinator-state.js";
import type { TaskOutcomes } from "./task-outcomes.js";

/**
 * Periodically expires leases whose holder stopped renewing them, and marks silent agents
 * offline (closing the stream of a stream agent that sends nothing on a live connection).
 */
export class LeaseSweeper {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly state: CoordinatorState,
    private readonly outcomes: TaskOutcomes,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.sweep(), this.state.settings.sweepIntervalMs);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One pass; returns how many leases expired. */
  sweep(now = Date.now()): number {
    const { state } = this;
    let expired = 0;
    for (const agent of state.agents.all()) {
      // Liveness first: an agent silent long enough to lose its leases must not be offered
      // the very tasks those leases return to the queue.
      const record = agent.record;
      const silence = now - record.lastSeenAt;
      const limit =
        record.transport === "stream"
          ? state.settings.agentSilenceMs
          : state.settings.workerSilenceMs;
      if (record.state !== "offline" && silence > limit) {
        state.logger.warn(
          { agent_id: agent.id, silence_ms: silence },
          "agent silent; marking it offline",
        );
        record.state = "offline";
        agent.session?.end(`no message for ${silence} ms`);
        agent.session = null;
        for (const claim of agent.claims.splice(0)) {
          clearTimeout(claim.timer);
          claim.resolve(null);
        }
        state.saveAgent(agent, "state");
      }
      for (const taskId of [...agent.leases.keys()]) {
        const task = state.tasks.get(taskId);
        if (!task || task.agentId !== agent.id) {
          agent.leases.delete(taskId);
          continue;
        }
        if (task.leaseExpiresAt !== null && task.leaseExpiresAt <= now) {
          this.outcomes.expire(task);
          expired += 1;
        }
      }
    }
    if (expired > 0) state.logger.info({ expired }, "leases expired; tasks requeued or failed");
    return expired;
  }
}
