import type { ServerDuplexStream } from "@grpc/grpc-js";
import {
  agentToWire,
  agentTypeFromWire,
  parseJsonField,
  projectSpecFromWire,
  projectToWire,
  statusFromWire,
  statusToWire,
  taskErrorFromWire,
  taskSpecFromWire,
  taskToWire,
  eventToWire,
} from "../contract/index.js";
import { AppError, type TaskRecord, type TaskStatus } from "../domain/index.js";
import type { AgentFrame, CoordinatorFrame } from "../gen/mcp/v1/agent.js";
import {
  CreateProjectRequest,
  CreateProjectResponse,
  CreateTasksRequest,
  CreateTasksResponse,
  type CoordinatorServiceServer,
  type ProjectSummary,
} from "../gen/mcp/v1/coordinator.js";
import type { ProjectProgress as WireProgress } from "../gen/mcp/v1/project.js";
import { unary } from "../rpc/index.js";
import type { AgentEntry } from "./agent-entry.js";
import type { AgentSessions } from "./agent-sessions.js";
import type { CoordinatorMetrics } from "./coordinator-metrics.js";
import type { CoordinatorState } from "./coordinator-state.js";
import type { Idempotency } from "./idempotency.js";
import type { ProjectProgress } from "./project-progress.js";
import type { ProjectService } from "./project-service.js";
import { pageSize, pageToken, requireId } from "./request-fields.js";
import type { TaskIntake } from "./task-intake.js";
import type { TaskOutcomes } from "./task-outcomes.js";
import type { TaskQueries } from "./task-queries.js";
import { leaseOf, type WorkerLease, type WorkerService } from "./worker-service.js";

export interface ServiceParts {
  state: CoordinatorState;
  intake: TaskIntake;
  projects: ProjectService;
  queries: TaskQueries;
  outcomes: TaskOutcomes;
  workers: WorkerService;
  sessions: AgentSessions;
  idempotency: Idempotency;
  metrics: CoordinatorMetrics;
  version: string;
  startedAt: number;
}

/** What ts-proto generates for every message: binary encode and decode. */
interface ProtoCodec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
}

const CLIENT = "client";

/** CoordinatorService over gRPC: decodes, calls the parts, encodes; errors become statuses. */
export function createCoordinatorService(parts: ServiceParts): CoordinatorServiceServer {
  const { state, queries } = parts;

  /**
   * Runs a create: `build` stages the effects and returns the response; it is made durable
   * before it is returned. With an idempotency key, the response is stored in the same commit
   * and replayed for the same key.
   */
  const create = async <Req extends { idempotencyKey: string }, Res extends { replayed: boolean }>(
    scope: string,
    request: Req,
    codecs: { request: ProtoCodec<Req>; response: ProtoCodec<Res> },
    build: () => Promise<Res>,
  ): Promise<Res> => {
    const run = async (record?: (response: Res) => void) => {
      const response = await build();
      record?.(response);
      await state.committer.durable();
      return response;
    };
    if (request.idempotencyKey === "") return run();
    const { response, replayed } = await parts.idempotency.run(
      scope,
      request.idempotencyKey,
      codecs.request.encode({ ...request, idempotencyKey: "" }).finish(),
      {
        encode: (r) => Buffer.from(codecs.response.encode(r).finish()).toString("base64"),
        decode: (text) => codecs.response.decode(Buffer.from(text, "base64")),
      },
      run,
    );
    return { ...response, replayed };
  };

  const createTasks = async (request: CreateTasksRequest): Promise<CreateTasksResponse> => {
    const specs = request.tasks.map((spec, i) =>
      taskSpecFromWire(spec, request.tasks.length > 1 ? `tasks[${i}]` : ""),
    );
    return create(
      "create_tasks",
      request,
      { request: CreateTasksRequest, response: CreateTasksResponse },
      async () => {
        const created = await parts.intake.create(specs, CLIENT);
        return { tasks: created.map((t) => taskToWire(t, queries.waitingFor(t))), replayed: false };
      },
    );
  };

  const createProject = async (request: CreateProjectRequest): Promise<CreateProjectResponse> => {
    if (!request.project) throw AppError.invalidArgument("project", "project is required");
    const spec = projectSpecFromWire(request.project, "project");
    return create(
      "create_project",
      request,
      { request: CreateProjectRequest, response: CreateProjectResponse },
      async () => {
        const { project, tasks } = await parts.projects.create(spec, CLIENT);
        return {
          project: projectToWire(project),
          tasks: tasks.map((t) => taskToWire(t, queries.waitingFor(t))),
          progress: progressToWire(queries.progress(tasks)),
          replayed: false,
        };
      },
    );
  };

  const agentView = (agent: AgentEntry) => agentToWire(agent.record, [...agent.leases.keys()]);
  const leaseToWire = (lease: WorkerLease) => ({
    taskId: lease.taskId,
    attempt: lease.attempt,
    token: lease.token,
    expiresAtMs: lease.expiresAt,
  });

  return {
    createTasks: unary(createTasks),
    createProject: unary(createProject),

    getTask: unary(async (request) => {
      const view = await queries.getTask(requireId(request.id, "id"));
      return {
        task: taskToWire(view.task, view.waitingFor),
        history: view.history.map(eventToWire),
        waitingFor: view.waitingFor,
      };
    }),

    listTasks: unary(async (request) => {
      const statuses: TaskStatus[] = request.statuses.map((s, i) =>
        statusFromWire(s, `statuses[${i}]`),
      );
      const type = agentTypeFromWire(request.type, "type");
      const page = await queries.listTasks({
        statuses,
        type: type ?? undefined,
        agentId: request.agentId || undefined,
        projectId: request.projectId || undefined,
        limit: pageSize(request.pageSize),
        afterSeq: pageToken(request.pageToken),
      });
      return {
        tasks: page.tasks.map((t) => taskToWire(t, queries.waitingFor(t))),
        nextPageToken: page.nextAfterSeq === null ? "" : String(page.nextAfterSeq),
        totalSize: page.total,
      };
    }),

    cancelTask: unary(async (request) => {
      const id = requireId(request.id, "id");
      const task = state.tasks.get(id);
      if (!task) {
        await state.committer.durable();
        const stored = await state.store.getTask(id);
        if (!stored) throw AppError.notFound("task", id);
        const live = state.tasks.get(id);
        if (!live) {
          throw new AppError(
            "failed_precondition",
            `task ${id} is ${stored.status}; only unfinished tasks can be cancelled`,
            {
              task_id: id,
              status: stored.status,
            },
          );
        }
        return cancelNow(live, request.reason);
      }
      return cancelNow(task, request.reason);
    }),

    getProject: unary(async (request) => {
      const view = await queries.getProject(requireId(request.id, "id"));
      return {
        project: projectToWire(view.project),
        tasks: view.tasks.map((t) => taskToWire(t, queries.waitingFor(t))),
        progress: progressToWire(view.progress),
      };
    }),

    listProjects: unary(async (request) => {
      await state.committer.durable();
      const page = await state.store.listProjects({
        limit: pageSize(request.pageSize),
        afterSeq: pageToken(request.pageToken),
      });
      const projects: ProjectSummary[] = [];
      for (const project of page.projects) {
        const tasks = await queries.projectTasks(project.id);
        projects.push({
          project: projectToWire(project),
          progress: progressToWire(queries.progress(tasks)),
        });
      }
      return {
        projects,
        nextPageToken: page.nextAfterSeq === null ? "" : String(page.nextAfterSeq),
      };
    }),

    listAgents: unary(async (request) => {
      const type = agentTypeFromWire(request.type, "type");
      return { agents: state.agents.list(type ?? undefined).map(agentView) };
    }),

    getAgent: unary(async (request) => {
      const agent = state.agents.get(requireId(request.id, "id"));
      if (!agent) throw AppError.notFound("agent", request.id);
      return { agent: agentView(agent) };
    }),

    getSystemStatus: unary(async () => {
      let storeOk = true;
      try {
        await state.store.ping();
      } catch {
        storeOk = false;
      }
      const counts = Object.fromEntries([...state.statusCounts].filter(([, n]) => n > 0));
      let leases = 0;
      for (const agent of state.agents.all()) leases += agent.load;
      return {
        version: parts.version,
        startedAtMs: parts.startedAt,
        taskCounts: Object.entries(counts).map(([status, count]) => ({
          status: statusToWire(status as TaskStatus),
          count,
        })),
        agentsOnline: state.agents.online(),
        agentsTotal: state.agents.size,
        store: state.store.describe(),
        storeOk,
        readyQueueDepth: state.ready.size,
        activeLeases: leases,
      };
    }),

    getMetrics: unary(async () => ({ text: await parts.metrics.text() })),

    registerWorker: unary(async (request) => {
      const agent = await parts.workers.register(request);
      return { agent: agentView(agent), leaseTtlMs: state.settings.leaseTtlMs };
    }),

    deregisterWorker: unary(async (request) => ({
      releasedTaskIds: await parts.workers.deregister(requireId(request.agentId, "agent_id")),
    })),

    workerHeartbeat: unary(async (request) => ({
      leases: parts.workers.heartbeat(requireId(request.agentId, "agent_id")).map(leaseToWire),
    })),

    claimTask: unary(async (request, call) => {
      const abort = new AbortController();
      call.on("cancelled", () => abort.abort());
      const task = await parts.workers.claim(
        requireId(request.agentId, "agent_id"),
        request.waitMs,
        abort.signal,
      );
      if (!task) return {};
      return { task: taskToWire(task), lease: leaseToWire(leaseOf(task)) };
    }),

    reportProgress: unary(async (request) => ({
      lease: leaseToWire(
        parts.workers.progress(
          requireId(request.taskId, "task_id"),
          request.leaseToken,
          request.percent,
          request.message,
        ),
      ),
    })),

    completeTask: unary(async (request) => {
      const output = parseJsonField(request.outputJson, "output_json");
      const task = await parts.workers.complete(
        requireId(request.taskId, "task_id"),
        request.leaseToken,
        output,
      );
      return { task: taskToWire(task) };
    }),

    failTask: unary(async (request) => {
      if (!request.error || request.error.message.trim() === "") {
        throw AppError.invalidArgument(
          "error.message",
          "error.message must say why the task failed",
        );
      }
      const task = await parts.workers.fail(
        requireId(request.taskId, "task_id"),
        request.leaseToken,
        taskErrorFromWire(request.error),
      );
      return { task: taskToWire(task) };
    }),

    connect: (call: ServerDuplexStream<AgentFrame, CoordinatorFrame>) =>
      parts.sessions.handle(call),
  };

  async function cancelNow(task: TaskRecord, reason: string) {
    parts.outcomes.cancel(task, CLIENT, reason.slice(0, 1_000));
    await state.committer.durable();
    return { task: taskToWire(task) };
  }
}

export function progressToWire(progress: ProjectProgress): WireProgress {
  return {
    state: progress.state,
    totalTasks: progress.totalTasks,
    completionPercent: progress.completionPercent,
    counts: Object.entries(progress.counts).map(([status, count]) => ({
      status: statusToWire(status as TaskStatus),
      count: count ?? 0,
    })),
    waiting: progress.waiting.map((w) => ({
      taskId: w.taskId,
      title: w.title,
      status: statusToWire(w.status),
      waitingFor: w.waitingFor,
    })),
  };
}
