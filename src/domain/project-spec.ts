import { AppError } from "./app-error.js";
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
  const at = (name: string) => (field ? `${field}.${name}` : name);
  const name = spec.name.trim();
  if (name.length === 0)
    throw AppError.invalidArgument(at("name"), `${at("name")} must not be empty`);
  if (name.length > PROJECT_LIMITS.nameLength) {
    throw AppError.invalidArgument(
      at("name"),
      `${at("name")} must be at most ${PROJECT_LIMITS.nameLength} characters`,
    );
  }
  if (spec.description.length > PROJECT_LIMITS.descriptionLength) {
    throw AppError.invalidArgument(
      at("description"),
      `${at("description")} must be at most ${PROJECT_LIMITS.descriptionLength} characters`,
    );
  }
  if (spec.requirements.length > PROJECT_LIMITS.requirementsLength) {
    throw AppError.invalidArgument(
      at("requirements"),
      `${at("requirements")} must be at most ${PROJECT_LIMITS.requirementsLength} characters`,
    );
  }
  const stack = Object.entries(spec.techStack);
  if (stack.length > PROJECT_LIMITS.techStackEntries) {
    throw AppError.invalidArgument(
      at("tech_stack"),
      `${at("tech_stack")} must have at most ${PROJECT_LIMITS.techStackEntries} entries`,
    );
  }
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
