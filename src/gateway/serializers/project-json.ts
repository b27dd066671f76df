import {
  parseJsonObjectField,
  priorityFromWire,
  projectSpecToWire,
  statusFromWire,
} from "../../contract/index.js";
import {
  AppError,
  DEFAULT_PRIORITY,
  isProjectTemplate,
  type JsonObject,
  validateProjectSpec,
} from "../../domain/index.js";
import type { Project, ProjectProgress, ProjectSpec } from "../../gen/mcp/v1/project.js";
import type { Task } from "../../gen/mcp/v1/task.js";
import type {
  CreateProjectBody,
  ProgressJson,
  ProjectDetailJson,
  ProjectJson,
  ProjectSummaryJson,
} from "../schemas/project-schemas.js";
import { statusCountsToJson } from "./status-counts-json.js";
import { taskToJson } from "./task-json.js";
import { isoTime } from "./time-json.js";

/** Projects between the REST API's JSON and the coordinator's messages: the one place they are mapped. */

export function projectToJson(project: Project): ProjectJson {
  return {
    id: project.id,
    name: project.name,
    description: project.description,
    requirements: project.requirements,
    tech_stack: project.techStack,
    priority: priorityFromWire(project.priority, "priority", DEFAULT_PRIORITY),
    // The coordinator always resolves a template; "generic" stands for one it never set.
    template: isProjectTemplate(project.template) ? project.template : "generic",
    metadata: parseJsonObjectField(project.metadataJson, "metadata_json"),
    created_at: isoTime(project.createdAtMs),
  };
}

/** Progress of a project; an absent message means no tasks yet. */
export function progressToJson(progress: ProjectProgress | undefined): ProgressJson {
  return {
    state: progress?.state || "active",
    total_tasks: progress?.totalTasks ?? 0,
    completion_percent: progress?.completionPercent ?? 0,
    counts: statusCountsToJson(progress?.counts ?? []),
    waiting: (progress?.waiting ?? []).map((w) => ({
      task_id: w.taskId,
      title: w.title,
      status: statusFromWire(w.status, "waiting.status"),
      waiting_for: w.waitingFor,
    })),
  };
}

export function projectSummaryToJson(
  project: Project,
  progress: ProjectProgress | undefined,
): ProjectSummaryJson {
  return { ...projectToJson(project), progress: progressToJson(progress) };
}

export function projectDetailToJson(
  project: Project | undefined,
  progress: ProjectProgress | undefined,
  tasks: readonly Task[],
): ProjectDetailJson {
  if (project === undefined)
    throw new AppError("internal", "the coordinator answered without a project");
  return { ...projectSummaryToJson(project, progress), tasks: tasks.map((t) => taskToJson(t)) };
}

/** A submitted project as the coordinator's ProjectSpec, after the domain's rules. */
export function projectSpecFromJson(body: CreateProjectBody, field: string): ProjectSpec {
  const spec = validateProjectSpec(
    {
      name: body.name,
      description: body.description ?? "",
      requirements: body.requirements ?? "",
      techStack: body.tech_stack ?? {},
      priority: body.priority ?? DEFAULT_PRIORITY,
      template: body.template ?? null,
      // The body is parsed JSON, so its metadata object holds only JSON values.
      metadata: (body.metadata ?? {}) as JsonObject,
    },
    field,
  );
  return projectSpecToWire(spec);
}
