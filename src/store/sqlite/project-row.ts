import {
  isPriority,
  isProjectTemplate,
  type JsonObject,
  type ProjectRecord,
} from "../../domain/index.js";
import { decodeEnumColumn, parseJsonColumn } from "./row-decoding.js";

/** A row of `projects`; keys are the column names. */
export interface ProjectRow {
  id: string;
  seq: number;
  name: string;
  description: string;
  requirements: string;
  tech_stack: string;
  priority: string;
  template: string;
  metadata: string;
  created_at: number;
}

export function projectToRow(project: ProjectRecord): ProjectRow {
  return {
    id: project.id,
    seq: project.seq,
    name: project.name,
    description: project.description,
    requirements: project.requirements,
    tech_stack: JSON.stringify(project.techStack),
    priority: project.priority,
    template: project.template,
    metadata: JSON.stringify(project.metadata),
    created_at: project.createdAt,
  };
}

export function projectFromRow(row: ProjectRow): ProjectRecord {
  const id = row.id;
  return {
    id,
    seq: row.seq,
    name: row.name,
    description: row.description,
    requirements: row.requirements,
    techStack: parseJsonColumn<Record<string, string>>(
      row.tech_stack,
      "projects",
      "tech_stack",
      id,
    ),
    priority: decodeEnumColumn(row.priority, isPriority, "projects", "priority", id),
    template: decodeEnumColumn(row.template, isProjectTemplate, "projects", "template", id),
    metadata: parseJsonColumn<JsonObject>(row.metadata, "projects", "metadata", id),
    createdAt: row.created_at,
  };
}
