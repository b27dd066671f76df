import {
  AppError,
  isProjectTemplate,
  type ProjectRecord,
  type ProjectSpec,
} from "../domain/index.js";
import type {
  Project as WireProject,
  ProjectSpec as WireProjectSpec,
} from "../gen/mcp/v1/project.js";
import { priorityFromWire, priorityToWire } from "./enum-maps.js";
import { parseJsonObjectField } from "./json-field.js";

export function projectToWire(project: ProjectRecord): WireProject {
  return {
    id: project.id,
    name: project.name,
    description: project.description,
    requirements: project.requirements,
    techStack: project.techStack,
    priority: priorityToWire(project.priority),
    template: project.template,
    metadataJson: JSON.stringify(project.metadata),
    createdAtMs: project.createdAt,
  };
}

export function projectSpecFromWire(spec: WireProjectSpec, field = "project"): ProjectSpec {
  const at = (name: string) => (field ? `${field}.${name}` : name);
  if (spec.template !== "" && !isProjectTemplate(spec.template)) {
    throw AppError.invalidArgument(
      at("template"),
      `${at("template")} must be one of web_application, api_service, data_pipeline, generic`,
    );
  }
  return {
    name: spec.name,
    description: spec.description,
    requirements: spec.requirements,
    techStack: spec.techStack,
    priority: priorityFromWire(spec.priority, at("priority"), "medium"),
    template: spec.template === "" ? null : spec.template,
    metadata: parseJsonObjectField(spec.metadataJson, at("metadata_json")),
  };
}

export function projectSpecToWire(spec: ProjectSpec): WireProjectSpec {
  return {
    name: spec.name,
    description: spec.description,
    requirements: spec.requirements,
    techStack: spec.techStack,
    priority: priorityToWire(spec.priority),
    template: spec.template ?? "",
    metadataJson: JSON.stringify(spec.metadata),
  };
}
