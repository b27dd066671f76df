import { AppError } from "./app-error.js";
import { checkMaxEntries, checkMaxLength, fieldPath, requireText } from "./field-checks.js";
import type { JsonObject } from "./json.js";
import type { Priority } from "./priority.js";
import type { ProjectTemplate } from "./project.js";

/** A project as a client submits it. */
export interface ProjectSpec {
  name: string;
  description: string;
  requirements: string;
  techStack: Record<string, string>;
  priority: Priority;
  /** Null chooses a template from the project's text and tech stack. */
  template: ProjectTemplate | null;
  metadata: JsonObject;
}

export const PROJECT_LIMITS = {
  nameLength: 200,
  descriptionLength: 100_000,
  requirementsLength: 100_000,
  techStackEntries: 50,
  techStackValueLength: 500,
} as const;

/** Checks the rules and trims the name; `field` prefixes field names in errors. */
export function validateProjectSpec(spec: ProjectSpec, field = ""): ProjectSpec {
  const at = (name: string) => fieldPath(field, name);
  const name = requireText(spec.name, at("name"), PROJECT_LIMITS.nameLength);
  checkMaxLength(spec.description, at("description"), PROJECT_LIMITS.descriptionLength);
  checkMaxLength(spec.requirements, at("requirements"), PROJECT_LIMITS.requirementsLength);
  const stack = Object.entries(spec.techStack);
  checkMaxEntries(stack.length, at("tech_stack"), PROJECT_LIMITS.techStackEntries);
  for (const [key, value] of stack) {
    if (key.trim() === "" || value.length > PROJECT_LIMITS.techStackValueLength) {
      throw AppError.invalidArgument(
        `${at("tech_stack")}.${key}`,
        `${at("tech_stack")}.${key} must have a name and at most ${PROJECT_LIMITS.techStackValueLength} characters`,
      );
    }
  }
  return { ...spec, name };
}
