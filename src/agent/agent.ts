import { hostname } from "node:os";
import { agentTypeToWire, knowledgeFromWire, resultToWire } from "../contract/index.js";
import { AppError, type KnowledgeEntryRecord, type TaskResult } from "../domain/index.js";
import type { AgentMessage, GetAgentStatusResponse, Registered } from "../gen/mcp/v1/agent.js";
import { KnowledgeServiceClient } from "../gen/mcp/v1/knowledge.js";
import type { Logger } from "../observability/index.js";
import {
  CLIENT_OPTIONS,
  insecure,
  type PromiseClient,
  promiseClient,
  type RunningGrpcServer,
  startGrpcServer,
} from "../rpc/index.js";
import { AgentMail } from "./agent-mail.js";
import type { AgentOptions } from "./agent-options.js";
import { createAgentStatusService } from "./agent-status-service.js";
import { CoordinatorLink } from "./coordinator-link.js";
import { createExecutorRegistry, type ExecutorRegistry } from "./executors/index.js";
import { type RunReporter, TaskRunner } from "./task-runner.js";
import { UnackedFinishes } from "./unacked-finishes.js";

/** How long a stopping agent waits for outstanding FinishAcks, and for the stream to end. */
const FINAL_ACK_WAIT_MS = 2_000;
const HAND_BACK_REASON = "agent shutting down";
/** How long a run waits for its knowledge context before going on without it. */
const KNOWLEDGE_TIMEOUT_MS = 2_000;

/**
 * One agent process: serves its AgentService, keeps its stream to the coordinator, runs what
 * it is assigned, and makes sure every result it produced reaches the coordinator.
 */
export class Agent {
  private readonly logger: Logger;
  private readonly runner: TaskRunner;
  private readonly link: CoordinatorLink;
  private readonly knowledgeClient: KnowledgeServiceClient;
  private readonly knowledge: PromiseClient<KnowledgeServiceClient>;
  private readonly unacked = new UnackedFinishes();
  /** The agent's mail: messages, requests and requests for help through the hub. */
  readonly mail: AgentMail;
  private server: RunningGrpcServer | null = null;
  private readonly executors: ExecutorRegistry;
  private draining = false;
  private closing: Promise<void> | null = null;
  private readonly startedAt = Date.now();

  /** `options` must already be validated (see validateAgentOptions). */
  constructor(
    private readonly options: AgentOptions,
    logger: Logger,
  ) {
    this.logger = logger.child({ agentId: options.id });
    const registry = createExecutorRegistry(options.executors, {
      commandTimeoutMs: options.commandTimeoutMs,
      outputLimitBytes: options.outputLimitBytes,
      killGraceMs: options.killGraceMs,
      integrationAddress: options.integrationAddress,
    });
    this.executors = registry;
    this.mail = new AgentMail(
      {
        agentId: options.id,
        send: (message) => this.link.send(message),
        considerCollaboration: (capabilities) => this.considerCollaboration(capabilities),
        status: () => ({
          agent_id: options.id,
          type: options.type,
          capabilities: options.capabilities,
          running: this.runner.held().length,
          max_concurrency: options.maxConcurrency,
          draining: this.draining,
          completed: this.runner.completedCount,
          failed: this.runner.failedCount,
        }),
      },
      this.logger,
    );
    this.runner = new TaskRunner({
      registry,
      maxConcurrency: options.maxConcurrency,
      reporter: this.reporter(),
      logger: this.logger,
      messagesFor: (taskId) => this.mail.forTask(taskId),
      knowledgeFor: (taskId) => this.knowledgeFor(taskId),
    });
    this.knowledgeClient = new KnowledgeServiceClient(
      options.coordinatorAddress,
      insecure(),
      CLIENT_OPTIONS,
    );
    this.knowledge = promiseClient(this.knowledgeClient, KNOWLEDGE_TIMEOUT_MS);
    this.link = new CoordinatorLink({
      address: options.coordinatorAddress,
      logger: this.logger,
      handler: {
        greeting: () => this.greeting(),
        onRegistered: (message) => this.onRegistered(message),
        onAssignment: (message) => this.runner.assign(message, this.draining),
        onCancel: (message) => this.runner.cancel(message.taskId, message.attempt, message.reason),
        onDelivery: (message) => this.mail.deliver(message),
        onMessageSent: (message) => this.mail.sent(message),
        onDisconnected: () => this.mail.connectionLost(),
        onFinishAck: (message) => {
          this.unacked.acknowledge(message.taskId, message.attempt);
          if (!message.accepted) {
            this.logger.warn(
              { taskId: message.taskId, attempt: message.attempt, reason: message.reason },
              "coordinator refused a result",
            );
          }
        },
      },
    });
  }

  /** True while registered with the coordinator. */
  get connected(): boolean {
    return this.link.connected;
  }

  /** Binds the AgentService, then dials the coordinator. Returns the bound port. */
  async start(): Promise<number> {
    const service = createAgentStatusService({
      status: () => this.status(),
      received: (limit) => this.mail.recent(limit),
    });
    try {
      this.server = await startGrpcServer({
        host: this.options.host,
        port: this.options.port,
        services: [service],
      });
    } catch (error) {
      await this.link.close(0);
      this.knowledgeClient.close();
      this.executors.close();
      throw error;
    }
    this.link.start();
    this.logger.info(
      {
        type: this.options.type,
        port: this.server.port,
        coordinator: this.options.coordinatorAddress,
        maxConcurrency: this.options.maxConcurrency,
      },
      "agent started",
    );
    return this.server.port;
  }

  /**
   * Graceful stop: ask for no more work, let running tasks finish within the grace, hand back
   * the rest, wait briefly for the last acknowledgements, then end the stream and the server.
   */
  close(): Promise<void> {
    this.closing ??= this.stop();
    return this.closing;
  }

  private async stop(): Promise<void> {
    this.draining = true;
    const graceMs = this.options.shutdownGraceMs;
    this.logger.info({ running: this.runner.held().length, graceMs }, "agent stopping: draining");
    this.link.send({ kind: { $case: "drain", value: {} } });
    if (!(await this.runner.waitIdle(graceMs))) {
      const left = this.runner.held();
      this.logger.warn(
        { tasks: left.map((t) => t.taskId) },
        "grace period over: handing back unfinished tasks",
      );
      await this.runner.handBackAll(HAND_BACK_REASON, this.options.killGraceMs + 1_000);
    }
    if (this.link.connected && !(await this.unacked.whenEmpty(FINAL_ACK_WAIT_MS))) {
      this.logger.warn(
        { unacknowledged: this.unacked.size },
        "stopping without every result acknowledged; their leases will expire",
      );
    } else if (!this.link.connected && this.unacked.size > 0) {
      this.logger.warn(
        { unacknowledged: this.unacked.size },
        "stopping while disconnected; unreported results' leases will expire",
      );
    }
    await this.link.close(FINAL_ACK_WAIT_MS);
    this.knowledgeClient.close();
    this.executors.close();
    await this.server?.close(FINAL_ACK_WAIT_MS);
    this.logger.info(
      { completed: this.runner.completedCount, failed: this.runner.failedCount },
      "agent stopped",
    );
  }

  /** Knowledge about a task for its run's context; a run goes on without it when unreachable. */
  private async knowledgeFor(taskId: string): Promise<KnowledgeEntryRecord[]> {
    try {
      const { entries } = await this.knowledge.listForTask({ taskId, limit: 20 });
      return entries.map((e) => knowledgeFromWire(e));
    } catch (error) {
      this.logger.warn(
        { taskId, err: AppError.from(error).message },
        "knowledge for the run's context is unavailable; running without it",
      );
      return [];
    }
  }

  /** Help is given while there is a free slot and the agent has every capability asked for. */
  private considerCollaboration(capabilities: string[]): { accepted: boolean; reason: string } {
    if (this.draining) return { accepted: false, reason: "shutting down" };
    const missing = capabilities.filter((c) => !this.options.capabilities.includes(c));
    if (missing.length > 0)
      return { accepted: false, reason: `lacks capabilities ${missing.join(", ")}` };
    const running = this.runner.held().length;
    if (running >= this.options.maxConcurrency)
      return {
        accepted: false,
        reason: `at capacity (${running} of ${this.options.maxConcurrency} running)`,
      };
    return { accepted: true, reason: `${this.options.maxConcurrency - running} free slots` };
  }

  private reporter(): RunReporter {
    return {
      started: (taskId, attempt) =>
        this.link.send({ kind: { $case: "started", value: { taskId, attempt } } }),
      progress: (taskId, attempt, percent, message) =>
        this.link.send({
          kind: { $case: "progress", value: { taskId, attempt, percent, message } },
        }),
      finished: (taskId, attempt, result: TaskResult) => {
        const finished = { taskId, attempt, result: resultToWire(result) };
        this.unacked.add(finished);
        // While disconnected this is dropped; the greeting of the next session re-sends it.
        this.link.send({ kind: { $case: "finished", value: finished } });
      },
      handBack: (taskId, attempt, reason) =>
        this.link.send({ kind: { $case: "handBack", value: { taskId, attempt, reason } } }),
    };
  }

  private greeting(): AgentMessage[] {
    const o = this.options;
    const messages: AgentMessage[] = [
      {
        kind: {
          $case: "register",
          value: {
            agentId: o.id,
            name: o.name,
            type: agentTypeToWire(o.type),
            capabilities: o.capabilities,
            executors: o.executors,
            maxConcurrency: o.maxConcurrency,
            address: `${advertisedHost(o.host)}:${this.server?.port ?? o.port}`,
            host: hostname(),
            pid: process.pid,
            held: this.runner.held(),
          },
        },
      },
    ];
    for (const finished of this.unacked.all())
      messages.push({ kind: { $case: "finished", value: finished } });
    if (this.draining) messages.push({ kind: { $case: "drain", value: {} } });
    return messages;
  }

  private onRegistered(message: Registered): void {
    if (message.agentId !== "" && message.agentId !== this.options.id) {
      this.logger.warn(
        { registeredAs: message.agentId },
        "coordinator registered this agent under another id",
      );
    }
    this.runner.abandon(message.abandon);
  }

  private status(): GetAgentStatusResponse {
    const o = this.options;
    return {
      agentId: o.id,
      name: o.name,
      type: agentTypeToWire(o.type),
      capabilities: o.capabilities,
      executors: o.executors,
      maxConcurrency: o.maxConcurrency,
      connected: this.link.connected,
      draining: this.draining,
      coordinatorAddress: o.coordinatorAddress,
      running: this.runner.views().map((run) => ({
        taskId: run.taskId,
        attempt: run.attempt,
        title: run.title,
        executor: run.executor,
        startedAtMs: run.startedAt,
        percent: run.percent,
        message: run.message,
      })),
      completedCount: this.runner.completedCount,
      failedCount: this.runner.failedCount,
      startedAtMs: this.startedAt,
      messagesReceived: this.mail.receivedCount,
      lastMessageSeq: this.mail.lastHandledSeq,
    };
  }
}

/** A wildcard bind address cannot be dialled; the machine's name can. */
function advertisedHost(host: string): string {
  return host === "0.0.0.0" || host === "::" ? hostname() : host;
}
