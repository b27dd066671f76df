import type { ProjectSpec, ProjectTemplate, TaskSpec } from "../../domain/index.js";
import { detectTemplate } from "./detect-template.js";
import { TEMPLATES } from "./templates.js";

export interface ProjectPlan {
  template: ProjectTemplate;
  tasks: TaskSpec[];
}

/**
 * Breaks a project into a dependency graph of free-form tasks from its template, shaped by
 * its text and tech stack. Tasks refer to each other by ref; the intake turns refs into ids.
 */
export function planProject(spec: ProjectSpec, projectId: string): ProjectPlan {
  const template = detectTemplate(spec);
  const steps = TEMPLATES[template]({
    name: spec.name,
    description: spec.description,
    requirements: spec.requirements,
    techStack: spec.techStack,
  });
  const tasks = steps.map((step): TaskSpec => ({
    ref: step.ref,
    title: step.title,
    description: step.description,
    type: step.type,
    priority: spec.priority,
    dependencies: step.dependsOn,
    requiredCapabilities: step.capabilities,
    action: null,
    metadata: { template, step: step.ref },
    projectId,
    parentId: null,
    maxAttempts: null,
  }));
  return { template, tasks };
}
