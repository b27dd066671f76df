import type { ProjectSpec, ProjectTemplate, TaskSpec } from "../../domain/index.js";
import { detectTemplate } from "./detect-template.js";
import { NO_PLAN_INTEGRATIONS, type PlanIntegrations } from "./plan-integrations.js";
import type { PlanStep } from "./plan-step.js";
import { TEMPLATES } from "./templates.js";

export interface ProjectPlan {
  template: ProjectTemplate;
  tasks: TaskSpec[];
}

/**
 * Breaks a project into a dependency graph of tasks from its template, shaped by its text and
 * tech stack, most of them free-form work. With integrations configured, the deployment step
 * builds a Jenkins job and a last step announces the finished project on Slack. Tasks refer to
 * each other by ref; the intake turns refs into ids.
 */
export function planProject(
  spec: ProjectSpec,
  projectId: string,
  integrations: PlanIntegrations = NO_PLAN_INTEGRATIONS,
): ProjectPlan {
  const template = detectTemplate(spec);
  const steps = withIntegrations(
    TEMPLATES[template]({
      name: spec.name,
      description: spec.description,
      requirements: spec.requirements,
      techStack: spec.techStack,
    }),
    spec.name,
    integrations,
  );
  const tasks = steps.map((step): TaskSpec => ({
    ref: step.ref,
    title: step.title,
    description: step.description,
    type: step.type,
    priority: spec.priority,
    dependencies: step.dependsOn,
    requiredCapabilities: step.capabilities,
    action: step.action ?? null,
    metadata: { template, step: step.ref },
    projectId,
    parentId: null,
    maxAttempts: null,
  }));
  return { template, tasks };
}

function withIntegrations(
  steps: PlanStep[],
  name: string,
  integrations: PlanIntegrations,
): PlanStep[] {
  const { jenkinsDeployJob, slackChannel } = integrations;
  const planned = steps.map((step): PlanStep => {
    if (step.ref !== "deployment" || jenkinsDeployJob === null) return step;
    return {
      ...step,
      type: "integration",
      title: `${step.title} (Jenkins job ${jenkinsDeployJob})`,
      capabilities: [],
      action: {
        kind: "integration",
        integration: "jenkins",
        service: null,
        operation: "trigger_build",
        parameters: {
          job: jenkinsDeployJob,
          parameters: { PROJECT: name },
          wait_for_completion: true,
        },
        // A deployment may take a while; the build's own result decides the task.
        timeoutMs: 3_600_000,
      },
    };
  });
  if (slackChannel === null) return planned;
  planned.push({
    ref: "announce",
    type: "integration",
    title: `Announce that ${name} is complete`,
    description: `Posts to ${slackChannel} on Slack once every other task of ${name} is complete.`,
    capabilities: [],
    dependsOn: planned.map((step) => step.ref),
    action: {
      kind: "integration",
      integration: "slack",
      service: null,
      operation: "send_message",
      parameters: {
        channel: slackChannel,
        text: `${name} is complete: all ${planned.length} tasks are done.`,
      },
      timeoutMs: null,
    },
  });
  return planned;
}
