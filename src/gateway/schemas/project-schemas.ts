import { type Static, type TInteger, Type } from "@sinclair/typebox";
import { PROJECT_LIMITS, TASK_STATUSES, type TaskStatus } from "../../domain/index.js";
import { PrioritySchema, ProjectTemplateSchema, TaskStatusSchema } from "./enum-schemas.js";
import { IsoTime, JsonObjectSchema, nullable, ref } from "./schema-helpers.js";
import { TaskJsonSchema } from "./task-schemas.js";

/** Body of POST /api/v1/projects. */
export const CreateProjectBodySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: PROJECT_LIMITS.nameLength }),
    description: Type.Optional(Type.String({ maxLength: PROJECT_LIMITS.descriptionLength })),
    requirements: Type.Optional(
      Type.String({
        maxLength: PROJECT_LIMITS.requirementsLength,
        description: "What the project must deliver.",
      }),
    ),
    tech_stack: Type.Optional(
      Type.Record(Type.String(), Type.String({ maxLength: PROJECT_LIMITS.techStackValueLength }), {
        maxProperties: PROJECT_LIMITS.techStackEntries,
        description: 'Layer to technology, e.g. {"backend": "Python + FastAPI"}.',
      }),
    ),
    priority: Type.Optional(PrioritySchema),
    template: Type.Optional(ProjectTemplateSchema),
    metadata: Type.Optional(JsonObjectSchema("Any JSON object, kept with the project.")),
  },
  { additionalProperties: false },
);
export type CreateProjectBody = Static<typeof CreateProjectBodySchema>;

export const ListProjectsQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1_000,
        description: "next_cursor of the previous page.",
      }),
    ),
  },
  { additionalProperties: false },
);

/** Task counts by status, every status present. */
export const StatusCountsSchema = Type.Object(
  Object.fromEntries(TASK_STATUSES.map((s) => [s, Type.Integer({ minimum: 0 })])) as Record<
    TaskStatus,
    TInteger
  >,
  { additionalProperties: false },
);
export type StatusCountsJson = Static<typeof StatusCountsSchema>;

export const ProgressJsonSchema = Type.Object(
  {
    state: Type.String({ description: "active, completed, failed or cancelled." }),
    total_tasks: Type.Integer(),
    completion_percent: Type.Number({ minimum: 0, maximum: 100 }),
    counts: StatusCountsSchema,
    waiting: Type.Array(
      Type.Object(
        {
          task_id: Type.String(),
          title: Type.String(),
          status: TaskStatusSchema,
          waiting_for: Type.String(),
        },
        { additionalProperties: false },
      ),
      { description: "Tasks that cannot start yet and why." },
    ),
  },
  { $id: "ProjectProgress", additionalProperties: false },
);
export type ProgressJson = Static<typeof ProgressJsonSchema>;

const projectProperties = {
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  requirements: Type.String(),
  tech_stack: Type.Record(Type.String(), Type.String()),
  priority: PrioritySchema,
  template: ProjectTemplateSchema,
  metadata: JsonObjectSchema("As submitted."),
  created_at: IsoTime("When submitted."),
};

export const ProjectJsonSchema = Type.Object(projectProperties, { additionalProperties: false });
export type ProjectJson = Static<typeof ProjectJsonSchema>;

/** A project with its progress (list entries). */
export const ProjectSummaryJsonSchema = Type.Object(
  { ...projectProperties, progress: ref(ProgressJsonSchema) },
  { additionalProperties: false },
);
export type ProjectSummaryJson = Static<typeof ProjectSummaryJsonSchema>;

/** A project with its progress and tasks. */
export const ProjectDetailJsonSchema = Type.Object(
  {
    ...projectProperties,
    progress: ref(ProgressJsonSchema),
    tasks: Type.Array(ref(TaskJsonSchema)),
  },
  {
    $id: "ProjectDetail",
    additionalProperties: false,
    description: "A project with its progress and tasks.",
  },
);
export type ProjectDetailJson = Static<typeof ProjectDetailJsonSchema>;

export const ProjectListJsonSchema = Type.Object(
  {
    projects: Type.Array(ProjectSummaryJsonSchema),
    next_cursor: nullable(Type.String(), {
      description: "Pass as cursor for the next page; null on the last.",
    }),
  },
  { additionalProperties: false },
);
