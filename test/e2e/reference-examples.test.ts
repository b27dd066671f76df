import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliProcess, eventually, tempDir } from "../cli/cli-process.js";
import type { ProjectDetailJson } from "../../src/gateway/schemas/project-schemas.js";
import type { TaskDetailJson, TaskJson } from "../../src/gateway/schemas/task-schemas.js";
import { describeTask, RestClient, statusPath, transitionsTo } from "./rest-client.js";
import { RestWorker, type WorkerReport } from "./rest-worker.js";
import { launchSystem } from "./running-system.js";

/** The reference's examples, quoted as they are written there. */
const REFERENCE_PROJECT = `{
    "name": "E-Commerce Platform",
    "description": "Full-stack e-commerce application",
    "requirements": "User auth, product catalog, shopping cart, payments",
    "tech_stack": {
      "frontend": "React + TypeScript",
      "backend": "Python + FastAPI",
      "database": "PostgreSQL",
      "cache": "Redis"
    },
    "priority": "high"
  }`;

const REFERENCE_TASK = `{
    "title": "Implement user authentication",
    "description": "Add OAuth2 and JWT support",
    "type": "backend",
    "priority": "high"
  }`;

const AGENT_TYPES = ["manager", "frontend", "backend", "database", "devops", "integration", "qa"];

/** Runs `workers` until `done` resolves, then stops them and returns what each did. */
async function workUntil(
  workers: RestWorker[],
  done: () => Promise<unknown>,
): Promise<WorkerReport[]> {
  const stop = new AbortController();
  const running = workers.map((w) => w.run(stop.signal));
  try {
    // A worker that throws stops the wait at once instead of letting it run out.
    await Promise.race([done(), Promise.all(running)]);
  } finally {
    stop.abort();
  }
  return Promise.all(running);
}

/**
 * The reference system's REST examples against the real processes: the project is planned
 * into a dependency graph, external workers of all seven types (registered over REST) do the
 * work, and everything completes in dependency order with its history.
 */
describe("the reference's examples, end to end", () => {
  let dir: { path: string; remove: () => Promise<void> };
  let api: RestClient;

  beforeAll(async () => {
    dir = await tempDir("mcp-e2e-ref-");
    // No built-in agents: the planned tasks are free-form work, done here by REST workers.
    const system = await launchSystem(dir.path, ["--agents", ""]);
    api = new RestClient(system.gatewayUrl);
  }, 120_000);

  afterAll(async () => {
    await CliProcess.killAll();
    await dir?.remove();
  });

  it("runs the E-Commerce Platform project to completion in dependency order", async () => {
    const created = await api.postRaw<ProjectDetailJson>("/api/v1/projects", REFERENCE_PROJECT);
    expect(created.status).toBe(201);
    const project = created.json;
    expect(project.name).toBe("E-Commerce Platform");
    expect(new Set(project.tasks.map((t) => t.type))).toEqual(new Set(AGENT_TYPES));

    const workers = await Promise.all(AGENT_TYPES.map((type) => RestWorker.register(api, type)));
    const reports = await workUntil(workers, () =>
      eventually(
        async () => {
          const now = await api.expect<ProjectDetailJson>(
            200,
            "GET",
            `/api/v1/projects/${project.id}`,
          );
          return now.progress.state === "completed" ? now : undefined;
        },
        "the project to complete",
        60_000,
      ),
    );

    const finished = await api.expect<ProjectDetailJson>(
      200,
      "GET",
      `/api/v1/projects/${project.id}`,
    );
    expect(finished.progress).toMatchObject({
      state: "completed",
      completion_percent: 100,
      total_tasks: project.tasks.length,
    });
    expect(finished.progress.counts.completed).toBe(project.tasks.length);
    expect(finished.progress.waiting).toEqual([]);

    const doneBy = new Map<string, WorkerReport>();
    for (const report of reports) for (const id of report.completed) doneBy.set(id, report);
    expect([...doneBy.keys()].sort()).toEqual(project.tasks.map((t) => t.id).sort());

    const details = new Map<string, TaskDetailJson>();
    for (const task of project.tasks) details.set(task.id, await api.getTask(task.id));
    const at = (iso: string | null) => Date.parse(iso ?? "");

    for (const task of details.values()) {
      const story = describeTask(task);
      expect(task.status, story).toBe("completed");
      const worker = doneBy.get(task.id) as WorkerReport;
      expect(workers.find((w) => w.agentId === worker.agentId)?.type, story).toBe(task.type);

      // pending (or blocked until its dependencies completed) -> assigned -> in_progress -> completed.
      const path = statusPath(task);
      expect(path, story).toEqual(
        task.dependencies.length === 0
          ? ["pending", "assigned", "in_progress", "completed"]
          : ["blocked", "pending", "assigned", "in_progress", "completed"],
      );
      const [assigned] = transitionsTo(task, "assigned");
      expect(assigned?.reason, story).toContain(worker.agentId);
      expect(assigned?.details, story).toMatchObject({ agent_id: worker.agentId });
      const completions = transitionsTo(task, "completed");
      expect(
        completions.map((e) => e.actor),
        story,
      ).toEqual([worker.agentId]);
      expect(task.result?.output, story).toEqual({ done_by: worker.agentId, title: task.title });

      // Every dependency had completed before this task was assigned and started.
      for (const depId of task.dependencies) {
        const dep = details.get(depId);
        expect(dep, `${task.title} depends on ${depId}, a task of the project`).toBeDefined();
        const depCompleted = transitionsTo(dep as TaskDetailJson, "completed")[0];
        expect(at(dep?.finished_at ?? null), story).toBeLessThanOrEqual(at(task.started_at));
        expect(at(depCompleted?.at ?? null), story).toBeLessThanOrEqual(at(assigned?.at ?? null));
      }
    }
    // The plan is a real graph: something waited for something else.
    expect([...details.values()].some((t) => t.dependencies.length > 1)).toBe(true);
  });

  it("runs the reference's single task on a backend worker", async () => {
    const created = await api.postRaw<TaskJson>("/api/v1/tasks", REFERENCE_TASK);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      title: "Implement user authentication",
      type: "backend",
      priority: "high",
    });
    const id = created.json.id;

    const backend = await RestWorker.register(api, "backend");
    const [report] = await workUntil([backend], () =>
      api.waitForTask(id, (t) => t.status === "completed", "completed"),
    );
    expect(report?.completed).toEqual([id]);

    const task = await api.getTask(id);
    expect(statusPath(task), describeTask(task)).toEqual([
      "pending",
      "assigned",
      "in_progress",
      "completed",
    ]);
    expect(transitionsTo(task, "assigned")[0]?.reason).toContain(backend.agentId);
    expect(task.result?.output).toEqual({
      done_by: backend.agentId,
      title: "Implement user authentication",
    });
  });
});
