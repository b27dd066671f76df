import type { GatewayApp, RouteContext } from "../gateway-app.js";
import { ERROR_RESPONSES } from "../schemas/error-schemas.js";
import { IdempotencyHeadersSchema, REPLAYED_HEADER } from "../schemas/idempotency-schemas.js";
import {
  CreateProjectBodySchema,
  ListProjectsQuerySchema,
  ProjectDetailJsonSchema,
  ProjectListJsonSchema,
} from "../schemas/project-schemas.js";
import { IdParamsSchema } from "../schemas/task-schemas.js";
import { ref } from "../schemas/schema-helpers.js";
import {
  projectDetailToJson,
  projectSpecFromJson,
  projectSummaryToJson,
} from "../serializers/project-json.js";
import { stringOrNull } from "../serializers/time-json.js";

const TAGS = ["projects"];

/** Projects: submit one (the coordinator plans its tasks), list, read with progress and tasks. */
export function registerProjectRoutes(app: GatewayApp, { upstreams }: RouteContext): void {
  app.post(
    "/api/v1/projects",
    {
      schema: {
        tags: TAGS,
        summary: "Submit a project",
        description:
          "The coordinator breaks the project into a dependency graph of tasks from its template " +
          "(chosen from the text and tech stack when absent). Send an Idempotency-Key to make a retry safe.",
        headers: IdempotencyHeadersSchema,
        body: CreateProjectBodySchema,
        response: { 201: ref(ProjectDetailJsonSchema), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const response = await upstreams.coordinator.createProject({
        project: projectSpecFromJson(request.body, "body"),
        idempotencyKey: request.headers["idempotency-key"] ?? "",
      });
      if (response.replayed) void reply.header(REPLAYED_HEADER, "true");
      return reply
        .code(201)
        .send(projectDetailToJson(response.project, response.progress, response.tasks));
    },
  );

  app.get(
    "/api/v1/projects",
    {
      schema: {
        tags: TAGS,
        summary: "List projects with their progress",
        querystring: ListProjectsQuerySchema,
        response: { 200: ProjectListJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const response = await upstreams.coordinator.listProjects({
        pageSize: request.query.limit ?? 50,
        pageToken: request.query.cursor ?? "",
      });
      return {
        projects: response.projects.flatMap((summary) =>
          summary.project === undefined
            ? []
            : [projectSummaryToJson(summary.project, summary.progress)],
        ),
        next_cursor: stringOrNull(response.nextPageToken),
      };
    },
  );

  app.get(
    "/api/v1/projects/:id",
    {
      schema: {
        tags: TAGS,
        summary: "A project with its progress and tasks",
        params: IdParamsSchema,
        response: { 200: ref(ProjectDetailJsonSchema), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const response = await upstreams.coordinator.getProject({ id: request.params.id });
      return projectDetailToJson(response.project, response.progress, response.tasks);
    },
  );
}
