import { Type } from "@sinclair/typebox";
import { AppError } from "../../domain/index.js";
import type { GatewayApp, RouteContext } from "../gateway-app.js";
import { AgentIdParamsSchema } from "../schemas/agent-schemas.js";
import { ERROR_RESPONSES } from "../schemas/error-schemas.js";
import { IdParamsSchema, TaskJsonSchema } from "../schemas/task-schemas.js";
import {
  ClaimBodySchema,
  ClaimJsonSchema,
  CompleteBodySchema,
  FailBodySchema,
  HeartbeatJsonSchema,
  LeaseReplyJsonSchema,
  ProgressBodySchema,
  RegisteredWorkerJsonSchema,
  RegisterWorkerBodySchema,
  ReleasedTasksJsonSchema,
} from "../schemas/worker-schemas.js";
import { ref } from "../schemas/schema-helpers.js";
import { agentToJson, leaseToJson, registerWorkerToWire } from "../serializers/agent-json.js";
import { taskToJson } from "../serializers/task-json.js";
import { emptyBodyAsObject } from "./optional-body.js";

const TAGS = ["workers"];

/**
 * External workers: people or scripts that do free-form work over REST. A worker registers,
 * claims a task (getting a lease), reports progress, completes or fails it with the lease
 * token, and heartbeats to keep its leases.
 */
export function registerWorkerRoutes(
  app: GatewayApp,
  { upstreams, requestTimeoutMs, shutdown }: RouteContext,
): void {
  app.post(
    "/api/v1/workers",
    {
      schema: {
        tags: TAGS,
        summary: "Register an external worker",
        body: RegisterWorkerBodySchema,
        response: { 201: RegisteredWorkerJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const response = await upstreams.coordinator.registerWorker(
        registerWorkerToWire(request.body),
      );
      if (response.agent === undefined)
        throw new AppError("internal", "the coordinator registered no agent");
      return reply
        .code(201)
        .send({ agent: agentToJson(response.agent), lease_ttl_ms: response.leaseTtlMs });
    },
  );

  app.delete(
    "/api/v1/workers/:agent_id",
    {
      schema: {
        tags: TAGS,
        summary: "Deregister a worker, handing back its tasks",
        params: AgentIdParamsSchema,
        response: { 200: ReleasedTasksJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const response = await upstreams.coordinator.deregisterWorker({
        agentId: request.params.agent_id,
      });
      return { released_task_ids: response.releasedTaskIds };
    },
  );

  app.post(
    "/api/v1/workers/:agent_id/heartbeat",
    {
      schema: {
        tags: TAGS,
        summary: "Renew every lease the worker holds",
        params: AgentIdParamsSchema,
        body: Type.Object(
          {},
          { additionalProperties: false, description: "Empty, or no body at all." },
        ),
        response: { 200: HeartbeatJsonSchema, ...ERROR_RESPONSES },
      },
      preValidation: emptyBodyAsObject,
    },
    async (request) => {
      const response = await upstreams.coordinator.workerHeartbeat({
        agentId: request.params.agent_id,
      });
      return { leases: response.leases.map(leaseToJson) };
    },
  );

  app.post(
    "/api/v1/workers/:agent_id/claim",
    {
      schema: {
        tags: TAGS,
        summary: "Claim the next task the worker can do",
        description:
          "Waits up to wait_ms for one (long poll). 204 when there was nothing to claim.",
        params: AgentIdParamsSchema,
        body: ClaimBodySchema,
        response: {
          200: ClaimJsonSchema,
          204: Type.Null({ description: "Nothing to claim." }),
          ...ERROR_RESPONSES,
        },
      },
      preValidation: emptyBodyAsObject,
    },
    async (request, reply) => {
      const waitMs = request.body.wait_ms ?? 0;
      // A client that hangs up during the long poll must not be handed a task it will never
      // see: cancelling the call withdraws its claim at the coordinator.
      const abort = new AbortController();
      const onClose = () => {
        if (!reply.raw.writableEnded) abort.abort();
      };
      reply.raw.once("close", onClose);
      try {
        const response = await upstreams.coordinator.claimTask(
          { agentId: request.params.agent_id, waitMs },
          // The long poll is part of the call, not time lost.
          {
            timeoutMs: waitMs + requestTimeoutMs,
            signal: AbortSignal.any([abort.signal, shutdown]),
          },
        );
        if (response.task === undefined || response.lease === undefined)
          return reply.code(204).send(null);
        return reply
          .code(200)
          .send({ task: taskToJson(response.task), lease: leaseToJson(response.lease) });
      } catch (error) {
        if (shutdown.aborted)
          throw new AppError(
            "unavailable",
            "the gateway is shutting down: claim again",
            {},
            { cause: error },
          );
        throw error;
      } finally {
        reply.raw.off("close", onClose);
      }
    },
  );

  app.post(
    "/api/v1/tasks/:id/progress",
    {
      schema: {
        tags: TAGS,
        summary: "Report progress on a claimed task (renews its lease)",
        params: IdParamsSchema,
        body: ProgressBodySchema,
        response: { 200: LeaseReplyJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const response = await upstreams.coordinator.reportProgress({
        taskId: request.params.id,
        leaseToken: request.body.lease_token,
        percent: request.body.percent,
        message: request.body.message ?? "",
      });
      if (response.lease === undefined)
        throw new AppError("internal", "the coordinator answered ReportProgress without a lease");
      return { lease: leaseToJson(response.lease) };
    },
  );

  app.post(
    "/api/v1/tasks/:id/complete",
    {
      schema: {
        tags: TAGS,
        summary: "Complete a claimed task",
        description: "Refused (409) when the lease token is not the current attempt's.",
        params: IdParamsSchema,
        body: CompleteBodySchema,
        response: { 200: ref(TaskJsonSchema), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const output = request.body.output;
      const response = await upstreams.coordinator.completeTask({
        taskId: request.params.id,
        leaseToken: request.body.lease_token,
        outputJson: output === undefined ? "" : JSON.stringify(output),
      });
      if (response.task === undefined)
        throw new AppError("internal", "the coordinator answered CompleteTask without a task");
      return taskToJson(response.task);
    },
  );

  app.post(
    "/api/v1/tasks/:id/fail",
    {
      schema: {
        tags: TAGS,
        summary: "Fail a claimed task's attempt",
        description:
          "A retryable failure is retried with backoff until max_attempts; otherwise the task fails.",
        params: IdParamsSchema,
        body: FailBodySchema,
        response: { 200: ref(TaskJsonSchema), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const body = request.body;
      const response = await upstreams.coordinator.failTask({
        taskId: request.params.id,
        leaseToken: body.lease_token,
        error: {
          code: body.code ?? "internal",
          message: body.message,
          retryable: body.retryable ?? true,
        },
      });
      if (response.task === undefined)
        throw new AppError("internal", "the coordinator answered FailTask without a task");
      return taskToJson(response.task);
    },
  );
}
