import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AgentType } from "../../src/gen/mcp/v1/task.js";
import { Priority, TaskStatus } from "../../src/gen/mcp/v1/task.js";
import {
  type CoordinatorHarness,
  startCoordinatorHarness,
} from "../helpers/coordinator-harness.js";

let h: CoordinatorHarness;
beforeEach(async () => {
  h = await startCoordinatorHarness();
});
afterEach(async () => {
  await h.close();
});

const ECOMMERCE = {
  name: "E-Commerce Platform",
  description: "Full-stack e-commerce application",
  requirements: "User auth, product catalog, shopping cart, payments",
  techStack: {
    frontend: "React + TypeScript",
    backend: "Python + FastAPI",
    database: "PostgreSQL",
    cache: "Redis",
  },
  priority: Priority.PRIORITY_HIGH,
  template: "",
  metadataJson: "",
};

describe("projects", () => {
  it("plans a web application into a dependency graph shaped by its stack, and reports progress", async () => {
    const created = await h.client.createProject({ project: ECOMMERCE, idempotencyKey: "" });
    expect(created.project?.template).toBe("web_application");
    const byRef = new Map(created.tasks.map((t) => [JSON.parse(t.metadataJson).step as string, t]));
    expect([...byRef.keys()]).toEqual([
      "planning",
      "database",
      "cache",
      "api",
      "ui",
      "integration",
      "testing",
      "deployment",
    ]);
    const id = (ref: string) => byRef.get(ref)!.id;
    expect(byRef.get("planning")!.status).toBe(TaskStatus.TASK_STATUS_PENDING);
    expect(byRef.get("api")!.dependencies.sort()).toEqual([id("database"), id("cache")].sort());
    expect(byRef.get("integration")!.dependencies.sort()).toEqual([id("api"), id("ui")].sort());
    expect(byRef.get("deployment")!.dependencies).toEqual([id("testing")]);
    expect(byRef.get("ui")!.requiredCapabilities).toEqual(["react", "typescript"]);
    expect(byRef.get("api")!.requiredCapabilities).toEqual(["api_design", "python"]);
    expect(byRef.get("database")!.requiredCapabilities).toEqual(["postgresql"]);
    expect(byRef.get("cache")!.requiredCapabilities).toEqual(["redis"]);
    expect(byRef.get("ui")!.title).toContain("React + TypeScript");
    for (const t of created.tasks) expect(t.priority).toBe(Priority.PRIORITY_HIGH);
    expect(created.progress?.totalTasks).toBe(8);
    expect(created.progress?.completionPercent).toBe(0);
    expect(created.progress?.waiting).toHaveLength(8);

    // Run it to completion with one worker per type, in dependency order.
    const workers = new Map<number, string>();
    for (const type of [1, 2, 3, 4, 5, 6, 7] as AgentType[]) {
      workers.set(
        type,
        (
          await h.client.registerWorker({
            name: `w${type}`,
            type,
            capabilities: [],
            executors: [],
            maxConcurrency: 2,
            agentId: "",
          })
        ).agent!.id,
      );
    }
    const doneOrder: string[] = [];
    while (doneOrder.length < 8) {
      let progressed = false;
      for (const worker of workers.values()) {
        const claim = await h.client.claimTask({ agentId: worker, waitMs: 0 });
        if (!claim.task) continue;
        for (const dep of claim.task.dependencies) expect(doneOrder).toContain(dep);
        await h.client.completeTask({
          taskId: claim.task.id,
          leaseToken: claim.lease!.token,
          outputJson: "",
        });
        doneOrder.push(claim.task.id);
        progressed = true;
      }
      expect(progressed).toBe(true);
    }
    const view = await h.client.getProject({ id: created.project!.id });
    expect(view.progress?.state).toBe("completed");
    expect(view.progress?.completionPercent).toBe(100);
    const list = await h.client.listProjects({ pageSize: 10, pageToken: "" });
    expect(list.projects.map((p) => p.project?.id)).toEqual([created.project!.id]);
  });

  it("chooses the API service, data pipeline and generic templates from the text", async () => {
    const make = async (
      name: string,
      description: string,
      techStack: Record<string, string> = {},
    ) =>
      (
        await h.client.createProject({
          project: { ...ECOMMERCE, name, description, requirements: "", techStack },
          idempotencyKey: "",
        })
      ).project!.template;
    expect(await make("Billing API", "A REST service for invoices", { backend: "Go" })).toBe(
      "api_service",
    );
    expect(await make("Sales ETL", "Nightly pipeline into the warehouse")).toBe("data_pipeline");
    expect(await make("Office move", "Move the team to the new floor")).toBe("generic");
  });

  it("refuses a project without a name, naming the field", async () => {
    await expect(
      h.client.createProject({ project: { ...ECOMMERCE, name: " " }, idempotencyKey: "" }),
    ).rejects.toMatchObject({
      code: "invalid_argument",
      details: { field: "project.name" },
    });
  });
});
