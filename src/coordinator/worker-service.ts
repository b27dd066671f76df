import { requiredAgentTypeFromWire } from "../contract/index.js";
import {
  type AgentRecord,
  AppError,
  DEFAULT_CAPABILITIES,
  type ExecutorKind,
  isExecutorKind,
  type JsonValue,
  newAgentId,
  normalizeCapabilities,
  type TaskError,
  type TaskRecord,
} from "../domain/index.js";
import type { RegisterWorkerRequest } from "../gen/mcp/v1/coordinator.js";
import type { AgentEntry, ClaimWaiter } from "./agent-entry.js";
import type { CoordinatorState } from "./coordinator-state.js";
import type { Scheduler } from "./scheduler.js";
import { LeaseRefusal, refusalError, type TaskOutcomes } from "./task-outcomes.js";

/** A lease as handed to a pull worker. */
export interface WorkerLease {
  taskId: string;
  attempt: number;
  token: string;
  expiresAt: number;
}

export const MAX_CLAIM_WAIT_MS = 30_000;
const MAX_WORKER_CONCURRENCY = 100;

/**
 * External workers (people, scripts, AI clients) that pull work over REST or gRPC: they
 * register as an agent of a type with capabilities, claim tasks (optionally waiting for one),
 * renew their leases, and report progress, completion or failure with their lease token.
 */
export class WorkerService {
  constructor(
    private readonly state: CoordinatorState,
    private readonly scheduler: Scheduler,
    private readonly outcomes: TaskOutcomes,
  ) {}

  async register(request: RegisterWorkerRequest): Promise<AgentEntry> {
    const state = this.state;
    const type = requiredAgentTypeFromWire(request.type, "type");
    const name = request.name.trim();
    if (name.length === 0 || name.length > 200)
      throw AppError.invalidArgument("name", "name must be 1 to 200 characters");
    const executors = (request.executors.length > 0 ? request.executors : ["freeform"]).map(
      (e, i) => {
        if (!isExecutorKind(e))
          throw AppError.invalidArgument(
            `executors[${i}]`,
            `executors[${i}] must be one of command, noop, freeform`,
          );
        return e;
      },
    );
    const maxConcurrency = request.maxConcurrency === 0 ? 1 : request.maxConcurrency;
    if (maxConcurrency > MAX_WORKER_CONCURRENCY) {
      throw AppError.invalidArgument(
        "max_concurrency",
        `max_concurrency must be from 1 to ${MAX_WORKER_CONCURRENCY}`,
      );
    }
    if (request.agentId !== "" && !/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/.test(request.agentId)) {
      throw AppError.invalidArgument(
        "agent_id",
        "agent_id must be 1 to 100 letters, digits, and . _ : -",
      );
    }
    const id = request.agentId || newAgentId(`worker-${type}`);
    const existing = state.agents.get(id);
    if (existing && existing.record.transport === "stream") {
      throw new AppError("already_exists", `agent id ${id} belongs to an agent process`, {
        agent_id: id,
      });
    }
    const now = Date.now();
    const capabilities =
      request.capabilities.length > 0 ? request.capabilities : [...DEFAULT_CAPABILITIES[type]];
    const record: AgentRecord = {
      id,
      name,
      type,
      capabilities: normalizeCapabilities(capabilities),
      executors: [...new Set<ExecutorKind>(executors)],
      maxConcurrency,
      transport: "pull",
      address: "",
      host: "",
      pid: 0,
      registeredAt: existing?.record.registeredAt ?? now,
      lastSeenAt: now,
      state: "online",
      completedCount: existing?.record.completedCount ?? 0,
      failedCount: existing?.record.failedCount ?? 0,
    };
    const agent = state.agents.upsert(record);
    state.saveAgent(agent, "registered");
    await state.committer.durable();
    state.logger.info(
      { agent_id: id, type, capabilities: record.capabilities },
      "worker registered",
    );
    return agent;
  }

  /** Hands back everything the worker holds; it is offline until it registers again. */
  async deregister(agentId: string): Promise<string[]> {
    const agent = this.worker(agentId);
    const released: string[] = [];
    for (const taskId of [...agent.leases.keys()]) {
      const task = this.state.tasks.get(taskId);
      if (task && task.agentId === agentId) {
        this.outcomes.handBack(task, agentId, "the worker deregistered");
        released.push(taskId);
      }
    }
    agent.leases.clear();
    for (const claim of agent.claims.splice(0)) {
      clearTimeout(claim.timer);
      claim.resolve(null);
    }
    agent.record.state = "offline";
    this.state.saveAgent(agent, "state");
    await this.state.committer.durable();
    return released;
  }

  /** Renews every lease the worker holds. */
  heartbeat(agentId: string): WorkerLease[] {
    const agent = this.touch(agentId);
    const leases: WorkerLease[] = [];
    for (const taskId of agent.leases.keys()) {
      const task = this.state.tasks.get(taskId);
      if (!task || task.leaseToken === null) continue;
      this.outcomes.renew(task);
      leases.push(leaseOf(task));
    }
    return leases;
  }

  /**
   * Claims the best task the worker can do, waiting up to `waitMs` for one. Resolves with
   * null when there was none. `onAbandon` lets the caller withdraw (client went away).
   */
  async claim(agentId: string, waitMs: number, signal?: AbortSignal): Promise<TaskRecord | null> {
    if (waitMs < 0 || waitMs > MAX_CLAIM_WAIT_MS) {
      throw AppError.invalidArgument("wait_ms", `wait_ms must be from 0 to ${MAX_CLAIM_WAIT_MS}`);
    }
    const agent = this.touch(agentId);
    if (agent.freeSlots === 0) {
      throw new AppError(
        "failed_precondition",
        `worker ${agentId} already holds ${agent.record.maxConcurrency} task(s), its max_concurrency; complete or fail one first`,
        { agent_id: agentId },
      );
    }
    const taskId = await new Promise<string | null>((resolve) => {
      const waiter: ClaimWaiter = {
        resolve: (id) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(id);
        },
        timer: setTimeout(() => withdraw(), waitMs),
      };
      const withdraw = () => {
        const index = agent.claims.indexOf(waiter);
        if (index >= 0) {
          agent.claims.splice(index, 1);
          clearTimeout(waiter.timer);
          waiter.resolve(null);
        }
      };
      const onAbort = () => withdraw();
      signal?.addEventListener("abort", onAbort, { once: true });
      agent.claims.push(waiter);
      this.scheduler.dispatch();
      if (waitMs === 0) withdraw();
    });
    if (taskId === null) return null;
    return this.state.tasks.get(taskId) ?? null;
  }

  progress(taskId: string, token: string, percent: number, message: string): WorkerLease {
    const task = this.held(taskId, token);
    // A worker's first progress report is its start.
    this.outcomes.started(task, task.agentId ?? "worker");
    this.outcomes.progress(task, percent, message);
    return leaseOf(task);
  }

  async complete(taskId: string, token: string, output: JsonValue): Promise<TaskRecord> {
    const task = this.held(taskId, token);
    this.outcomes.succeed(task, task.agentId ?? "worker", output);
    await this.state.committer.durable();
    return task;
  }

  async fail(taskId: string, token: string, error: TaskError): Promise<TaskRecord> {
    const task = this.held(taskId, token);
    this.outcomes.fail(task, task.agentId ?? "worker", error);
    await this.state.committer.durable();
    return task;
  }

  private held(taskId: string, token: string): TaskRecord {
    if (token === "") throw AppError.invalidArgument("lease_token", "lease_token is required");
    const task = this.outcomes.checkHolder(taskId, null, null, token);
    if (task instanceof LeaseRefusal) {
      if (task.task === null && !this.state.recentTerminalStatus(taskId)) {
        // Unknown to memory: it may be finished long ago or never have existed; both refuse.
        throw new AppError("failed_precondition", `task ${taskId}: ${task.reason}`, {
          task_id: taskId,
        });
      }
      throw refusalError(taskId, task);
    }
    if (task.agentId) this.touch(task.agentId);
    return task;
  }

  private worker(agentId: string): AgentEntry {
    const agent = this.state.agents.get(agentId);
    if (!agent) throw AppError.notFound("worker", agentId);
    if (agent.record.transport !== "pull") {
      throw new AppError(
        "failed_precondition",
        `agent ${agentId} is an agent process, not an external worker`,
        { agent_id: agentId },
      );
    }
    return agent;
  }

  /** Any call from a worker proves it alive. */
  private touch(agentId: string): AgentEntry {
    const agent = this.worker(agentId);
    agent.record.lastSeenAt = Date.now();
    if (agent.record.state === "offline") {
      agent.record.state = "online";
      this.state.saveAgent(agent, "state");
    }
    return agent;
  }
}

export function leaseOf(task: TaskRecord): WorkerLease {
  return {
    taskId: task.id,
    attempt: task.attempt,
    token: task.leaseToken ?? "",
    expiresAt: task.leaseExpiresAt ?? 0,
  };
}
