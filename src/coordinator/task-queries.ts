import {
  AppError,
  type ProjectRecord,
  type TaskEventRecord,
  type TaskRecord,
} from "../domain/index.js";
import type { TaskPage, TaskQuery } from "../store/index.js";
import type { CoordinatorState } from "./coordinator-state.js";
import { type ProjectProgress, projectProgress } from "./project-progress.js";
import { explainWaiting } from "./waiting-explainer.js";

export interface TaskView {
  task: TaskRecord;
  history: TaskEventRecord[];
  waitingFor: string;
}

export interface ProjectView {
  project: ProjectRecord;
  tasks: TaskRecord[];
  progress: ProjectProgress;
}

const PROJECT_TASK_PAGE = 1_000;

/**
 * The read side. Reads wait for everything staged to be durable, then read the store and
 * overlay what only memory knows (renewed leases, what a waiting task waits for).
 */
export class TaskQueries {
  constructor(private readonly state: CoordinatorState) {}

  async getTask(id: string): Promise<TaskView> {
    await this.state.committer.durable();
    const stored = await this.state.store.getTask(id);
    if (!stored) throw AppError.notFound("task", id);
    const task = this.live(stored);
    return {
      task,
      history: await this.state.store.getHistory(id),
      waitingFor: this.waitingFor(task),
    };
  }

  async listTasks(query: TaskQuery): Promise<TaskPage> {
    await this.state.committer.durable();
    const page = await this.state.store.listTasks(query);
    return { ...page, tasks: page.tasks.map((t) => this.live(t)) };
  }

  async getProject(id: string): Promise<ProjectView> {
    await this.state.committer.durable();
    const project = await this.state.store.getProject(id);
    if (!project) throw AppError.notFound("project", id);
    const tasks = await this.projectTasks(id);
    return { project, tasks, progress: this.progress(tasks) };
  }

  async projectTasks(projectId: string): Promise<TaskRecord[]> {
    const tasks: TaskRecord[] = [];
    let afterSeq: number | undefined;
    for (;;) {
      const page = await this.state.store.listTasks({
        projectId,
        limit: PROJECT_TASK_PAGE,
        afterSeq,
      });
      tasks.push(...page.tasks.map((t) => this.live(t)));
      if (page.nextAfterSeq === null) return tasks;
      afterSeq = page.nextAfterSeq;
    }
  }

  progress(tasks: readonly TaskRecord[]): ProjectProgress {
    return projectProgress(
      tasks,
      (task) => this.waitingFor(task),
      (taskId) => this.state.graph.doomedReason(taskId) !== null,
    );
  }

  /** What a task waits for, when it is unfinished and waiting. */
  waitingFor(task: TaskRecord): string {
    const live = this.state.tasks.get(task.id);
    return live ? explainWaiting(this.state, live) : "";
  }

  /** The in-memory record when the task is unfinished (it has the renewed lease). */
  private live(task: TaskRecord): TaskRecord {
    return this.state.tasks.get(task.id) ?? task;
  }
}
