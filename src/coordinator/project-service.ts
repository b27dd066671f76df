import {
  newProjectId,
  type ProjectRecord,
  type ProjectSpec,
  type TaskRecord,
  validateProjectSpec,
} from "../domain/index.js";
import type { CoordinatorState } from "./coordinator-state.js";
import { NO_PLAN_INTEGRATIONS, type PlanIntegrations, planProject } from "./planner/index.js";
import type { TaskIntake } from "./task-intake.js";

/** Creating a project: plan it into a graph of tasks and stage both in one commit. */
export class ProjectService {
  constructor(
    private readonly state: CoordinatorState,
    private readonly intake: TaskIntake,
    private readonly integrations: PlanIntegrations = NO_PLAN_INTEGRATIONS,
  ) {}

  async create(
    spec: ProjectSpec,
    actor: string,
  ): Promise<{ project: ProjectRecord; tasks: TaskRecord[] }> {
    const valid = validateProjectSpec(spec, "project");
    const id = newProjectId();
    const plan = planProject(valid, id, this.integrations);
    const project: ProjectRecord = {
      id,
      seq: 0,
      name: valid.name,
      description: valid.description,
      requirements: valid.requirements,
      techStack: valid.techStack,
      priority: valid.priority,
      template: plan.template,
      metadata: valid.metadata,
      createdAt: Date.now(),
    };
    const tasks = await this.intake.create(plan.tasks, actor, {
      knownProjects: new Set([id]),
      beforeStaging: () => {
        this.state.projectSeq += 1;
        project.seq = this.state.projectSeq;
        this.state.committer.stageProject(project);
      },
    });
    this.state.logger.info(
      { project_id: id, template: plan.template, tasks: tasks.length },
      "project planned",
    );
    return { project, tasks };
  }
}
