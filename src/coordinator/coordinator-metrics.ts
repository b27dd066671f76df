import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { TASK_STATUSES, type TaskRecord, type TaskStatus } from "../domain/index.js";
import type { CoordinatorState, TransitionObserver } from "./coordinator-state.js";
import type { EventBus, EventBusStats } from "./event-bus.js";
import type { CommitStats } from "./group-committer.js";

/**
 * The coordinator's Prometheus metrics. Task counts by status come from the store when
 * scraped; latencies and counters are observed as transitions happen.
 */
export class CoordinatorMetrics implements TransitionObserver {
  readonly registry = new Registry();
  private readonly dispatchLatency: Histogram;
  private readonly completionLatency: Histogram;
  private readonly transitions: Counter;
  private readonly commitDuration: Histogram;
  private readonly commitSize: Histogram;
  private readonly staleResults: Counter;

  constructor(
    private readonly state: CoordinatorState,
    events: EventBus,
  ) {
    const registers = [this.registry];
    const counts = state.statusCounts;
    new Gauge({
      name: "mcp_tasks",
      help: "Tasks by status",
      labelNames: ["status"],
      registers,
      collect() {
        for (const status of TASK_STATUSES) this.set({ status }, counts.get(status) ?? 0);
      },
    });
    this.dispatchLatency = new Histogram({
      name: "mcp_task_dispatch_seconds",
      help: "Time from a task becoming ready to its assignment",
      buckets: [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
      ],
      registers,
    });
    this.completionLatency = new Histogram({
      name: "mcp_task_completion_seconds",
      help: "Time from a task's creation to its completion",
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60, 300, 1800, 3600],
      registers,
    });
    this.transitions = new Counter({
      name: "mcp_task_transitions_total",
      help: "Task transitions by target status",
      labelNames: ["to"],
      registers,
    });
    this.commitDuration = new Histogram({
      name: "mcp_store_commit_seconds",
      help: "Duration of one group commit",
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
      registers,
    });
    this.commitSize = new Histogram({
      name: "mcp_store_commit_records",
      help: "Records written by one group commit",
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000],
      registers,
    });
    this.staleResults = new Counter({
      name: "mcp_stale_results_total",
      help: "Results refused as stale",
      registers,
    });
    const agents = state.agents;
    new Gauge({
      name: "mcp_agent_load",
      help: "Tasks each agent holds",
      labelNames: ["agent", "type", "state"],
      registers,
      collect() {
        this.reset();
        for (const a of agents.all())
          this.set({ agent: a.id, type: a.record.type, state: a.record.state }, a.load);
      },
    });
    new Gauge({
      name: "mcp_agent_capacity",
      help: "Tasks each agent may hold at once",
      labelNames: ["agent", "type"],
      registers,
      collect() {
        this.reset();
        for (const a of agents.all())
          this.set({ agent: a.id, type: a.record.type }, a.record.maxConcurrency);
      },
    });
    new Gauge({
      name: "mcp_event_watchers",
      help: "Subscribers of the live event stream",
      registers,
      collect() {
        this.set(events.stats().subscribers);
      },
    });
    // Totals kept by the bus, read when scraped.
    const eventTotals: Array<[string, string, (stats: EventBusStats) => number]> = [
      ["mcp_events_published_total", "Live events published", (s) => s.published],
      [
        "mcp_events_dropped_total",
        "Live events a watcher missed because it read too slowly",
        (s) => s.dropped,
      ],
      [
        "mcp_event_watchers_disconnected_total",
        "Live event watchers disconnected for stalling",
        (s) => s.disconnected,
      ],
    ];
    for (const [name, help, read] of eventTotals) {
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read(events.stats()));
        },
      });
    }
    const ready = state.ready;
    new Gauge({
      name: "mcp_ready_queue_depth",
      help: "Tasks ready and waiting for an agent",
      registers,
      collect() {
        this.set(ready.size);
      },
    });
  }

  onTransition(task: TaskRecord, from: TaskStatus | null, to: TaskStatus, at: number): void {
    this.transitions.inc({ to });
    if (to === "assigned" && from === "pending") {
      const since = this.state.readySince.get(task.id);
      if (since !== undefined) this.dispatchLatency.observe((at - since) / 1000);
      this.state.readySince.delete(task.id);
    } else if (to === "completed") {
      this.completionLatency.observe((at - task.createdAt) / 1000);
    }
  }

  onCommit(stats: CommitStats): void {
    this.commitDuration.observe(stats.durationMs / 1000);
    this.commitSize.observe(stats.writes);
  }

  onStaleResult(): void {
    this.staleResults.inc();
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
