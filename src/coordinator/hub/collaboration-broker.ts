import {
  AppError,
  checkMaxLength,
  type CollaborationDecline,
  type CollaborationRecord,
  isJsonObject,
  type JsonObject,
  newCollaborationId,
  normalizeCapabilities,
  type TaskRecord,
} from "../../domain/index.js";
import type { AgentEntry } from "../agent-entry.js";
import type { CoordinatorState } from "../coordinator-state.js";
import type { MessageHub } from "./message-hub.js";

export interface CollaborationRequest {
  taskId: string;
  /** The agent asking; it must hold the task. */
  requester: string;
  capabilities: readonly string[];
  subject: string;
  context: JsonObject;
  /** How long each candidate has to answer; 0 means the default. */
  answerTimeoutMs: number;
}

const DEFAULT_ANSWER_MS = 5_000;
const MAX_ANSWER_MS = 60_000;

/**
 * Finds help for a task: asks capable agents one at a time (best first: all the
 * capabilities, then the lowest load), each with a `collaborate` message answered by a
 * response `{accepted, reason}`. A decline or silence moves to the next candidate. The
 * acceptance is stored with its shared context and noted in the task's history.
 */
export class CollaborationBroker {
  constructor(
    private readonly state: CoordinatorState,
    private readonly hub: MessageHub,
  ) {}

  async request(request: CollaborationRequest): Promise<CollaborationRecord> {
    const capabilities = normalizeCapabilities(request.capabilities);
    if (capabilities.length === 0) {
      throw AppError.invalidArgument("capabilities", "capabilities must name at least one");
    }
    const subject = request.subject.trim();
    checkMaxLength(subject, "subject", 200);
    const answerMs = request.answerTimeoutMs === 0 ? DEFAULT_ANSWER_MS : request.answerTimeoutMs;
    if (!Number.isInteger(answerMs) || answerMs < 1 || answerMs > MAX_ANSWER_MS) {
      throw AppError.invalidArgument(
        "answer_timeout_ms",
        `answer_timeout_ms must be from 1 to ${MAX_ANSWER_MS} (0 means ${DEFAULT_ANSWER_MS})`,
      );
    }
    const task = await this.heldTask(request.taskId, request.requester);
    const candidates = this.candidates(request.requester, capabilities);
    if (candidates.length === 0) {
      throw new AppError(
        "failed_precondition",
        `no online agent other than ${request.requester} has the capabilities ${capabilities.join(", ")}`,
        { task_id: task.id, capabilities },
      );
    }
    const declined: CollaborationDecline[] = [];
    for (const candidate of candidates) {
      const answer = await this.ask(candidate.id, task, request, capabilities, subject, answerMs);
      if (answer.accepted)
        return this.accept(task, request, candidate.id, capabilities, subject, declined);
      declined.push({ agentId: candidate.id, reason: answer.reason });
    }
    throw new AppError(
      "failed_precondition",
      `nobody accepted to help with task ${task.id}: ${declined.map((d) => `${d.agentId} (${d.reason})`).join("; ")}`,
      {
        task_id: task.id,
        declined: declined.map((d) => ({ agent_id: d.agentId, reason: d.reason })),
      },
    );
  }

  list(taskId: string): Promise<CollaborationRecord[]> {
    return this.state.store.collaborations(taskId);
  }

  private async heldTask(taskId: string, requester: string): Promise<TaskRecord> {
    const task = this.state.tasks.get(taskId);
    if (task === undefined) {
      const stored = await this.state.store.getTask(taskId);
      if (stored === null) throw AppError.notFound("task", taskId);
      throw new AppError(
        "failed_precondition",
        `task ${taskId} is ${stored.status}: only a running task can get help`,
        { task_id: taskId, status: stored.status },
      );
    }
    if (task.status !== "assigned" && task.status !== "in_progress") {
      throw new AppError(
        "failed_precondition",
        `task ${taskId} is ${task.status}: only a running task can get help`,
        { task_id: taskId, status: task.status },
      );
    }
    if (task.agentId !== requester) {
      throw new AppError(
        "failed_precondition",
        `task ${taskId} is held by ${task.agentId ?? "nobody"}, not by ${requester}`,
        { field: "requester", task_id: taskId },
      );
    }
    return task;
  }

  /** Online agents (other than the requester) with every capability, best first. */
  private candidates(requester: string, capabilities: readonly string[]): AgentEntry[] {
    return this.state.agents
      .list()
      .filter(
        (a) =>
          a.id !== requester &&
          a.record.state === "online" &&
          capabilities.every((c) => a.record.capabilities.includes(c)) &&
          (a.record.transport === "pull" || this.hub.isAttached(a.id)),
      )
      .sort(
        (a, b) =>
          a.loadRatio - b.loadRatio ||
          this.hub.waitingFor(a.id) - this.hub.waitingFor(b.id) ||
          a.id.localeCompare(b.id),
      );
  }

  private async ask(
    agentId: string,
    task: TaskRecord,
    request: CollaborationRequest,
    capabilities: string[],
    subject: string,
    answerMs: number,
  ): Promise<{ accepted: boolean; reason: string }> {
    const message = await this.hub.sendAsHub({
      type: "collaborate",
      to: { kind: "agent", agentId },
      subject: subject || `help with task ${task.id}`,
      body: {
        task_id: task.id,
        requester: request.requester,
        capabilities,
        context: request.context,
      },
      taskId: task.id,
      projectId: task.projectId,
      replyTo: null,
      correlationId: null,
      ttlMs: answerMs,
    });
    const response = await this.hub.waitForResponse(message.id, answerMs);
    if (response === null) return { accepted: false, reason: `no answer within ${answerMs} ms` };
    const body = response.body;
    const reason = isJsonObject(body) && typeof body.reason === "string" ? body.reason : "";
    if (response.sender !== agentId) {
      return { accepted: false, reason: `answered by ${response.sender}, not the candidate` };
    }
    if (isJsonObject(body) && body.accepted === true) return { accepted: true, reason };
    return { accepted: false, reason: reason || "declined without a reason" };
  }

  private async accept(
    task: TaskRecord,
    request: CollaborationRequest,
    collaborator: string,
    capabilities: string[],
    subject: string,
    declined: CollaborationDecline[],
  ): Promise<CollaborationRecord> {
    const record: CollaborationRecord = {
      id: newCollaborationId(),
      taskId: task.id,
      requester: request.requester,
      collaborator,
      capabilities,
      subject,
      context: request.context,
      declined,
      createdAt: Date.now(),
    };
    this.state.committer.stageCollaboration(record);
    const live = this.state.tasks.get(task.id);
    if (live !== undefined) {
      this.state.note(
        live,
        collaborator,
        `collaboration: ${collaborator} helps ${request.requester} (${capabilities.join(", ")})`,
        { collaboration_id: record.id, requester: request.requester, capabilities },
        false,
      );
    }
    await this.state.committer.durable();
    return record;
  }
}
