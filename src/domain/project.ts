import type { JsonObject } from "./json.js";
import type { Priority } from "./priority.js";

export const PROJECT_TEMPLATES = [
  "web_application",
  "api_service",
  "data_pipeline",
  "generic",
] as const;

export type ProjectTemplate = (typeof PROJECT_TEMPLATES)[number];

export function isProjectTemplate(value: unknown): value is ProjectTemplate {
  return typeof value === "string" && (PROJECT_TEMPLATES as readonly string[]).includes(value);
}

export interface ProjectRecord {
  id: string;
  seq: number;
  name: string;
  description: string;
  requirements: string;
  techStack: Record<string, string>;
  priority: Priority;
  template: ProjectTemplate;
  metadata: JsonObject;
  createdAt: number;
}
