import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliProcess, eventually, tempDir } from "../cli/cli-process.js";
import type { TaskDetailJson, TaskJson } from "../../src/gateway/schemas/task-schemas.js";
import { appendLineArgv, readLines } from "./append-line-command.js";
import { describeTask, RestClient, transitionsTo } from "./rest-client.js";
import { launchSystem } from "./running-system.js";

/**
 * A batch of command tasks of several types, with refs and dependencies, run by the built-in
 * agents. Each command appends its name to one file, so the file is the execution order.
 */
describe("a graph of command tasks on the built-in agents", () => {
  let dir: { path: string; remove: () => Promise<void> };
  let api: RestClient;

  beforeAll(async () => {
    dir = await tempDir("mcp-e2e-graph-");
    const system = await launchSystem(dir.path, ["--agents", "database,backend,qa,devops"]);
    api = new RestClient(system.gatewayUrl);
  }, 120_000);

  afterAll(async () => {
    await CliProcess.killAll();
    await dir?.remove();
  });

  it("runs every command after its dependencies; a failing one blocks its dependent for good", async () => {
    const file = join(dir.path, "order.txt");
    interface Step {
      ref: string;
      title: string;
      type: string;
      dependencies: string[];
      max_attempts?: number;
      action: { kind: "command"; argv: string[] };
    }
    const step = (ref: string, type: string, dependencies: string[]): Step => ({
      ref,
      title: `step ${ref}`,
      type,
      dependencies,
      action: { kind: "command", argv: appendLineArgv(file, ref, { stdout: `${ref} ran\n` }) },
    });
    const batch: Step[] = [
      // Listed out of order on purpose: the order of execution comes from the graph alone.
      step("deploy", "devops", ["verify"]),
      step("verify", "qa", ["api", "seed", "cache"]),
      step("api", "backend", ["schema"]),
      step("seed", "database", ["schema"]),
      step("cache", "backend", ["schema"]),
      step("schema", "database", []),
      {
        ref: "broken",
        title: "step broken",
        type: "backend",
        dependencies: [],
        max_attempts: 2,
        action: {
          kind: "command",
          argv: appendLineArgv(file, "broken", { stdout: "about to fail\n", exitCode: 3 }),
        },
      },
      step("after-broken", "qa", ["broken"]),
    ];
    const { tasks } = await api.expect<{ tasks: TaskJson[] }>(201, "POST", "/api/v1/tasks/batch", {
      tasks: batch,
    });
    expect(tasks.map((t) => t.title)).toEqual(batch.map((b) => b.title));
    const idOf = new Map(batch.map((b, i) => [b.ref, (tasks[i] as TaskJson).id]));
    const byRef = (ref: string) => idOf.get(ref) as string;
    // Refs became task ids.
    expect(tasks[1]?.dependencies).toEqual([byRef("api"), byRef("seed"), byRef("cache")]);

    const good = ["schema", "api", "seed", "cache", "verify", "deploy"];
    for (const ref of good)
      await api.waitForTask(byRef(ref), (t) => t.status === "completed", "completed");
    const failed = await api.waitForTask(
      byRef("broken"),
      (t) => t.status === "failed",
      "failed after its attempts",
    );
    const blocked = await api.waitForTask(
      byRef("after-broken"),
      (t) => t.status === "blocked" && t.status_reason.includes("for good"),
      "blocked for good",
    );

    // The file is the order things ran in: each good step once, after its dependencies.
    const lines = await readLines(file);
    for (const ref of good)
      expect(
        lines.filter((l) => l === ref),
        `${ref} in ${lines.join(",")}`,
      ).toHaveLength(1);
    const pos = (ref: string) => lines.indexOf(ref);
    for (const b of batch)
      for (const dep of b.dependencies)
        if (dep !== "broken") expect(pos(dep), `${dep} before ${b.ref}`).toBeLessThan(pos(b.ref));
    // The failing command ran on both of its attempts; its dependent never ran.
    expect(lines.filter((l) => l === "broken")).toHaveLength(2);
    expect(lines).not.toContain("after-broken");

    const details = new Map<string, TaskDetailJson>();
    for (const ref of good) details.set(ref, await api.getTask(byRef(ref)));
    for (const b of batch) {
      const task = details.get(b.ref);
      if (task === undefined) continue;
      for (const dep of b.dependencies) {
        const before = details.get(dep) as TaskDetailJson;
        expect(
          Date.parse(before.finished_at ?? ""),
          `${dep} finished before ${b.ref} started`,
        ).toBeLessThanOrEqual(Date.parse(task.started_at ?? ""));
      }
      // Ran by an agent of the task's type, which captured the command's stdout.
      expect(task.agent_id, describeTask(task)).toMatch(new RegExp(`^${b.type}-`));
      expect(task.result?.output).toMatchObject({
        exit_code: 0,
        stdout: `${b.ref} ran\n`,
        stderr: "",
      });
      expect(transitionsTo(task, "completed")).toHaveLength(1);
    }

    // The failure: two attempts, each reason recorded, the output of the last kept.
    const story = describeTask(failed);
    expect(failed).toMatchObject({ attempt: 2, failed_attempts: 2, max_attempts: 2 });
    expect(failed.result?.error, story).toMatchObject({
      code: "internal",
      message: "command exited with code 3",
    });
    expect(failed.result?.output, story).toMatchObject({ exit_code: 3, stdout: "about to fail\n" });
    expect(
      transitionsTo(failed, "assigned").map((e) => e.attempt),
      story,
    ).toEqual([1, 2]);
    expect(failed.status_reason, story).toMatch(
      /^attempt 2 failed on backend-\d+: command exited with code 3; failed for good after 2 failed attempts$/,
    );

    // Its dependent stays blocked, saying why, and the reason is in its history.
    const brokenId = byRef("broken");
    expect(blocked.status_reason).toBe(`blocked for good: dependency ${brokenId} failed`);
    expect(blocked.waiting_for ?? "").toContain(brokenId);
    expect(
      blocked.history.some((e) => e.reason === `blocked for good: dependency ${brokenId} failed`),
    ).toBe(true);
    expect(blocked.attempt).toBe(0);

    // Nothing is left running for these tasks.
    await eventually(
      async () =>
        (await api.countTasks("status=pending,assigned,in_progress")) === 0 ? true : undefined,
      "no task in flight",
    );
  });
});
