import type { ServerDuplexStream } from "@grpc/grpc-js";
import { resultFromWire, requiredAgentTypeFromWire } from "../contract/index.js";
import {
  type AgentRecord,
  AppError,
  type ExecutorKind,
  isExecutorKind,
  newAgentId,
  normalizeCapabilities,
  type TaskRecord,
} from "../domain/index.js";
import type {
  AgentFrame,
  CoordinatorFrame,
  CoordinatorMessage,
  HeldTask,
  Register,
  TaskFinished,
} from "../gen/mcp/v1/agent.js";
import { toGrpcStatus } from "../rpc/index.js";
import type { AgentEntry, AgentSession } from "./agent-entry.js";
import type { CoordinatorState } from "./coordinator-state.js";
import type { MessageHub } from "./hub/message-hub.js";
import { StreamMail } from "./hub/stream-mail.js";
import { LeaseRefusal, type TaskOutcomes } from "./task-outcomes.js";

type Call = ServerDuplexStream<AgentFrame, CoordinatorFrame>;

/**
 * The coordinator's side of `Connect`: one long-lived stream per agent process carrying
 * batched frames both ways. The first message must be `register`.
 */
export class AgentSessions {
  private nextId = 1;
  private readonly open = new Set<AgentSession>();
  /** Each registered session's mail sink. */
  private readonly mail: StreamMail;

  constructor(
    private readonly state: CoordinatorState,
    private readonly outcomes: TaskOutcomes,
    hub: MessageHub,
  ) {
    this.mail = new StreamMail(state, hub);
  }

  handle(call: Call): void {
    const session = this.createSession(call);
    let agent: AgentEntry | null = null;
    const detach = () => {
      this.open.delete(session);
      if (agent) this.mail.detach(agent.id, session);
      if (agent && agent.session === session) {
        agent.session = null;
        agent.record.state = "offline";
        this.state.saveAgent(agent, "state");
        this.state.logger.info(
          { agent_id: agent.id },
          "agent disconnected; its leases run until they expire",
        );
      }
    };
    call.on("data", (frame: AgentFrame) => {
      try {
        agent = this.onFrame(frame, agent, session);
      } catch (error) {
        const appError = AppError.from(error);
        this.state.logger.warn(
          { agent_id: agent?.id, code: appError.code, err: appError.message },
          "agent stream refused",
        );
        detach();
        call.emit("error", toGrpcStatus(appError));
      }
    });
    call.on("end", () => {
      detach();
      call.end();
    });
    call.on("error", detach);
    call.on("cancelled", detach);
  }

  /** Ends every stream (coordinator stopping). */
  closeAll(reason: string): void {
    for (const session of [...this.open]) session.end(reason);
  }

  private createSession(call: Call): AgentSession {
    let ended = false;
    const session: AgentSession = {
      id: this.nextId++,
      send: (messages: CoordinatorMessage[]) => {
        if (!ended && messages.length > 0) call.write({ messages });
      },
      end: (reason: string) => {
        if (ended) return;
        ended = true;
        this.open.delete(session);
        call.emit("error", toGrpcStatus(new AppError("unavailable", reason)));
      },
    };
    this.open.add(session);
    return session;
  }

  private onFrame(
    frame: AgentFrame,
    current: AgentEntry | null,
    session: AgentSession,
  ): AgentEntry {
    let agent = current;
    const first = frame.messages[0]?.kind;
    if (agent === null) {
      if (first?.$case !== "register") {
        throw AppError.invalidArgument(
          "messages[0]",
          "the first message on a Connect stream must be register",
        );
      }
      const finishedInFrame = frame.messages.flatMap((m) =>
        m.kind?.$case === "finished" ? [m.kind.value] : [],
      );
      agent = this.register(first.value, session, finishedInFrame);
    }
    agent.record.lastSeenAt = Date.now();
    for (const message of frame.messages) {
      const kind = message.kind;
      if (!kind) continue;
      switch (kind.$case) {
        case "register":
          if (agent !== current && message === frame.messages[0]) break;
          throw AppError.invalidArgument("register", "register may be sent only once per stream");
        case "heartbeat":
          for (const taskId of agent.leases.keys()) {
            const task = this.state.tasks.get(taskId);
            if (task) this.outcomes.renew(task);
          }
          break;
        case "started": {
          const task = this.heldBy(agent, kind.value);
          if (task) {
            this.outcomes.renew(task);
            this.outcomes.started(task, agent.id);
          }
          break;
        }
        case "progress": {
          const task = this.heldBy(agent, kind.value);
          if (task) this.outcomes.progress(task, kind.value.percent, kind.value.message);
          break;
        }
        case "finished":
          this.finished(agent, session, kind.value);
          break;
        case "drain":
          agent.record.state = "draining";
          this.state.saveAgent(agent, "state");
          this.state.logger.info({ agent_id: agent.id }, "agent draining; no new work for it");
          break;
        case "handBack": {
          const task = this.heldBy(agent, kind.value);
          if (task) this.outcomes.handBack(task, agent.id, kind.value.reason || "no reason given");
          break;
        }
        case "send":
          this.mail.relay(agent.id, session, kind.value);
          break;
        case "messageAck":
          this.mail.ack(agent.id, kind.value.upToSeq);
          break;
      }
    }
    return agent;
  }

  /**
   * The task if `agent` holds its current lease at the reported attempt; reports about
   * anything else (late, or about a task gone elsewhere) are dropped.
   */
  private heldBy(
    agent: AgentEntry,
    report: { taskId: string; attempt: number },
  ): TaskRecord | null {
    const task = this.outcomes.checkHolder(report.taskId, report.attempt, agent.id, null);
    return task instanceof LeaseRefusal ? null : task;
  }

  private register(
    message: Register,
    session: AgentSession,
    finishedInFrame: readonly TaskFinished[],
  ): AgentEntry {
    const state = this.state;
    const type = requiredAgentTypeFromWire(message.type, "register.type");
    const executors = message.executors.map((e, i) => {
      if (!isExecutorKind(e))
        throw AppError.invalidArgument(
          `register.executors[${i}]`,
          `unknown executor ${JSON.stringify(e)}`,
        );
      return e;
    });
    if (message.maxConcurrency < 1 || message.maxConcurrency > 1000) {
      throw AppError.invalidArgument(
        "register.max_concurrency",
        "register.max_concurrency must be from 1 to 1000",
      );
    }
    const id = message.agentId || newAgentId(type);
    const existing = state.agents.get(id);
    if (existing?.record.transport === "pull" && existing.record.state !== "offline") {
      throw new AppError("already_exists", `agent id ${id} is taken by an external worker`, {
        agent_id: id,
      });
    }
    if (existing?.session && existing.session !== session)
      existing.session.end("replaced by a new connection of the same agent");
    const now = Date.now();
    const previousPid = existing?.record.pid ?? null;
    const record: AgentRecord = {
      id,
      name: message.name || id,
      type,
      capabilities: normalizeCapabilities(message.capabilities),
      executors: [...new Set<ExecutorKind>(executors)],
      maxConcurrency: message.maxConcurrency,
      transport: "stream",
      address: message.address,
      host: message.host,
      pid: message.pid,
      registeredAt: existing?.record.registeredAt ?? now,
      lastSeenAt: now,
      state: "online",
      completedCount: existing?.record.completedCount ?? 0,
      failedCount: existing?.record.failedCount ?? 0,
    };
    const agent = state.agents.upsert(record);
    agent.session = session;
    state.saveAgent(agent, "registered");

    const abandon = this.reconcileHeld(agent, message.held, finishedInFrame, previousPid);
    state.committer.send(session, {
      kind: {
        $case: "registered",
        value: {
          agentId: id,
          leaseTtlMs: state.settings.leaseTtlMs,
          heartbeatIntervalMs: state.settings.heartbeatIntervalMs,
          abandon,
        },
      },
    });
    this.mail.attach(id, session);
    state.logger.info(
      { agent_id: id, type, pid: message.pid, held: message.held.length },
      "agent registered",
    );
    return agent;
  }

  /**
   * After a (re)connect: keeps the leases the agent still holds, tells it to abandon tasks
   * no longer its own, and requeues tasks it should hold but does not (it restarted: that
   * counts as a failed attempt; same process: the assignment never reached it).
   */
  private reconcileHeld(
    agent: AgentEntry,
    held: readonly HeldTask[],
    finishedInFrame: readonly TaskFinished[],
    previousPid: number | null,
  ): HeldTask[] {
    const reported = new Map<string, number>(held.map((h) => [h.taskId, h.attempt]));
    for (const f of finishedInFrame) reported.set(f.taskId, f.attempt);
    const abandon: HeldTask[] = [];
    for (const h of held) {
      const task = this.outcomes.checkHolder(h.taskId, h.attempt, agent.id, null);
      if (task instanceof LeaseRefusal) abandon.push(h);
      else {
        agent.leases.set(task.id, task.attempt);
        this.outcomes.renew(task);
      }
    }
    const restarted = previousPid !== null && previousPid !== agent.record.pid;
    for (const [taskId, attempt] of [...agent.leases]) {
      if (reported.get(taskId) === attempt) continue;
      const task = this.state.tasks.get(taskId);
      if (!task || task.agentId !== agent.id) {
        agent.leases.delete(taskId);
        continue;
      }
      if (restarted)
        this.outcomes.lose(
          task,
          `${agent.id} restarted (pid ${previousPid} -> ${agent.record.pid}) while holding it`,
        );
      else
        this.outcomes.handBack(
          task,
          agent.id,
          "the agent reconnected without it (the assignment never reached it)",
        );
    }
    return abandon;
  }

  private finished(agent: AgentEntry, session: AgentSession, message: TaskFinished): void {
    const ack = (accepted: boolean, reason: string) =>
      this.state.committer.send(session, {
        kind: {
          $case: "finishAck",
          value: { taskId: message.taskId, attempt: message.attempt, accepted, reason },
        },
      });
    const task = this.outcomes.checkHolder(message.taskId, message.attempt, agent.id, null);
    if (task instanceof LeaseRefusal) {
      if (task.task === null) {
        void this.ackFinishedElsewhere(agent, message, ack);
        return;
      }
      this.state.note(
        task.task,
        agent.id,
        `refused the result of attempt ${message.attempt} from ${agent.id}: ${task.reason}`,
        null,
        false,
      );
      this.state.logger.warn(
        {
          agent_id: agent.id,
          task_id: message.taskId,
          attempt: message.attempt,
          reason: task.reason,
        },
        "stale result refused",
      );
      this.state.staleResult(message.taskId);
      ack(false, task.reason);
      return;
    }
    let result;
    try {
      result = resultFromWire(message.result, "finished.result");
    } catch (error) {
      result = {
        output: null,
        error: {
          code: "invalid_argument" as const,
          message: AppError.from(error).message,
          retryable: false,
        },
      };
    }
    if (result.error) this.outcomes.fail(task, agent.id, result.error, result.output);
    else this.outcomes.succeed(task, agent.id, result.output);
    ack(true, "");
  }

  /**
   * A result for a task no longer in memory: either its completion was already recorded
   * (the agent resends after a lost ack, e.g. across a coordinator restart) or it is stale.
   */
  private async ackFinishedElsewhere(
    agent: AgentEntry,
    message: TaskFinished,
    ack: (accepted: boolean, reason: string) => void,
  ): Promise<void> {
    try {
      const stored = await this.state.store.getTask(message.taskId);
      if (
        stored &&
        stored.agentId === agent.id &&
        stored.attempt === message.attempt &&
        (stored.status === "completed" || stored.status === "failed")
      ) {
        ack(true, "already recorded");
        return;
      }
      const reason = stored
        ? `the task is ${stored.status} at attempt ${stored.attempt}`
        : "the task does not exist";
      this.state.logger.warn(
        { agent_id: agent.id, task_id: message.taskId, attempt: message.attempt, reason },
        "stale result refused",
      );
      this.state.staleResult(message.taskId);
      ack(false, reason);
    } catch (error) {
      this.state.logger.error(
        { err: AppError.from(error).message, task_id: message.taskId },
        "cannot look up a finished task",
      );
    }
  }
}
