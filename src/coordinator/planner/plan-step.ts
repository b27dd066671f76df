import type { AgentType, TaskAction } from "../../domain/index.js";

/** One task of a plan, before it becomes a TaskSpec. */
export interface PlanStep {
  /** Unique within the plan; other steps depend on it by this name. */
  ref: string;
  type: AgentType;
  title: string;
  description: string;
  capabilities: string[];
  dependsOn: string[];
  /** What an executor does; absent for free-form work. */
  action?: TaskAction;
}

/** What a template reads from the project. */
export interface PlanContext {
  name: string;
  description: string;
  requirements: string;
  techStack: Readonly<Record<string, string>>;
}
