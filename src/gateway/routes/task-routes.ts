import { agentTypeToWire, statusToWire } from "../../contract/index.js";
import { AppError } from "../../domain/index.js";
import type { GatewayApp, RouteContext } from "../gateway-app.js";
import { ERROR_RESPONSES } from "../schemas/error-schemas.js";
import { IdempotencyHeadersSchema, REPLAYED_HEADER } from "../schemas/idempotency-schemas.js";
import {
  CancelTaskBodySchema,
  CreateTaskBatchBodySchema,
  CreateTaskBodySchema,
  IdParamsSchema,
  ListTasksQuerySchema,
  TaskBatchJsonSchema,
  TaskDetailJsonSchema,
  TaskJsonSchema,
  TaskListJsonSchema,
} from "../schemas/task-schemas.js";
import { ref } from "../schemas/schema-helpers.js";
import {
  taskDetailToJson,
  taskSpecFromJson,
  taskStatusesFromQuery,
  taskToJson,
} from "../serializers/task-json.js";
import { stringOrNull } from "../serializers/time-json.js";
import { emptyBodyAsObject } from "./optional-body.js";

const TAGS = ["tasks"];

/** Tasks: submit one or a batch, list, read with history, cancel. */
export function registerTaskRoutes(app: GatewayApp, { upstreams }: RouteContext): void {
  app.post(
    "/api/v1/tasks",
    {
      schema: {
        tags: TAGS,
        summary: "Submit a task",
        description:
          "Send an Idempotency-Key to make a retry safe: a replay answers with the first response.",
        headers: IdempotencyHeadersSchema,
        body: CreateTaskBodySchema,
        response: { 201: ref(TaskJsonSchema), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const response = await upstreams.coordinator.createTasks({
        tasks: [taskSpecFromJson(request.body, "body")],
        idempotencyKey: request.headers["idempotency-key"] ?? "",
      });
      const task = response.tasks[0];
      if (task === undefined) throw new AppError("internal", "the coordinator created no task");
      if (response.replayed) void reply.header(REPLAYED_HEADER, "true");
      return reply.code(201).send(taskToJson(task));
    },
  );

  app.post(
    "/api/v1/tasks/batch",
    {
      schema: {
        tags: TAGS,
        summary: "Submit tasks together",
        description:
          "All or none are created. A dependency may name another task of the batch by its ref.",
        headers: IdempotencyHeadersSchema,
        body: CreateTaskBatchBodySchema,
        response: { 201: TaskBatchJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const response = await upstreams.coordinator.createTasks({
        tasks: request.body.tasks.map((task, i) => taskSpecFromJson(task, `body.tasks[${i}]`)),
        idempotencyKey: request.headers["idempotency-key"] ?? "",
      });
      if (response.replayed) void reply.header(REPLAYED_HEADER, "true");
      return reply.code(201).send({ tasks: response.tasks.map((t) => taskToJson(t)) });
    },
  );

  app.get(
    "/api/v1/tasks",
    {
      schema: {
        tags: TAGS,
        summary: "List tasks",
        description:
          "Oldest first. Filters combine with AND; `status` takes several values separated by commas.",
        querystring: ListTasksQuerySchema,
        response: { 200: TaskListJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const query = request.query;
      const statuses = taskStatusesFromQuery(query.status, "query.status");
      const response = await upstreams.coordinator.listTasks({
        statuses: statuses.map(statusToWire),
        type: agentTypeToWire(query.type ?? null),
        agentId: query.agent_id ?? "",
        projectId: query.project_id ?? "",
        pageSize: query.limit ?? 50,
        pageToken: query.cursor ?? "",
      });
      return {
        tasks: response.tasks.map((t) => taskToJson(t)),
        next_cursor: stringOrNull(response.nextPageToken),
        total: response.totalSize,
      };
    },
  );

  app.get(
    "/api/v1/tasks/:id",
    {
      schema: {
        tags: TAGS,
        summary: "A task with its history",
        params: IdParamsSchema,
        response: { 200: ref(TaskDetailJsonSchema), ...ERROR_RESPONSES },
      },
    },
    async (request) =>
      taskDetailToJson(await upstreams.coordinator.getTask({ id: request.params.id })),
  );

  app.post(
    "/api/v1/tasks/:id/cancel",
    {
      schema: {
        tags: TAGS,
        summary: "Cancel a task",
        description:
          "A running task's agent is told to stop. A finished task cannot be cancelled (409).",
        params: IdParamsSchema,
        body: CancelTaskBodySchema,
        response: { 200: ref(TaskJsonSchema), ...ERROR_RESPONSES },
      },
      preValidation: emptyBodyAsObject,
    },
    async (request) => {
      const response = await upstreams.coordinator.cancelTask({
        id: request.params.id,
        reason: request.body.reason ?? "",
      });
      if (response.task === undefined)
        throw new AppError("internal", "the coordinator answered CancelTask without a task");
      return taskToJson(response.task);
    },
  );
}
