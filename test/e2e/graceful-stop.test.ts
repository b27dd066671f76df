import { describe, expect, it } from "vitest";
import { alive, eventually } from "../cli/cli-process.js";
import type { TaskJson } from "../../src/gateway/schemas/task-schemas.js";
import { useGatedScenario } from "./gated-scenario.js";
import { type Acknowledged, submitUntilAcknowledged } from "./idempotent-submitter.js";
import { mapConcurrent } from "./map-concurrent.js";
import { describeTask, RestClient, transitionsTo } from "./rest-client.js";
import { launchSystem, SCENARIO_TIMEOUT_MS } from "./running-system.js";

const FLAGS = [
  "--agents",
  "backend,qa",
  // The backend agent is kept full by the long commands, so backend work queues up behind them.
  "--agents-concurrency-backend",
  "4",
  // Running tasks get little time to finish before they are handed back.
  "--agents-shutdown-grace-ms",
  "300",
];
const LONG = 4;

/**
 * SIGTERM to the orchestrator while commands run, work is queued and clients submit: the
 * system stops cleanly (running tasks handed back, not counted as failures), and once it is
 * started again on the same data every acknowledged task completes, none lost or doubled.
 */
describe("SIGTERM under load, then a restart on the same data", () => {
  const scenario = useGatedScenario("mcp-e2e-sigterm-");

  it(
    "hands back running tasks, loses nothing, and finishes everything after the restart",
    async () => {
      const { dir, gate } = scenario;
      const first = await launchSystem(dir.path, FLAGS);
      const api = new RestClient(first.gatewayUrl);

      // Long commands, each with a no-op that waits for it.
      const batch = Array.from({ length: LONG }, (_, i) => [
        {
          ref: `long-${i}`,
          title: `long ${i}`,
          type: "backend",
          action: { kind: "command", argv: gate.argv(`long-${i}`) },
        },
        {
          ref: `after-${i}`,
          title: `after ${i}`,
          type: "qa",
          dependencies: [`long-${i}`],
          action: { kind: "noop" },
        },
      ]).flat();
      const { tasks: graph } = await api.expect<{ tasks: TaskJson[] }>(
        201,
        "POST",
        "/api/v1/tasks/batch",
        { tasks: batch },
        { "Idempotency-Key": "e2e-sigterm-graph" },
      );
      const longIds = graph.filter((_, i) => i % 2 === 0).map((t) => t.id);
      for (let i = 0; i < LONG; i += 1) await gate.waitForStarts(`long-${i}`, 1);

      // Clients keep submitting no-ops (half for the full backend agent) through the SIGTERM and
      // the restart: while the system is down each retries its submission, with its key, until
      // the restarted system acknowledges it.
      let submitNew = true;
      let next = 0;
      const deadline = Date.now() + 120_000;
      const client = async (): Promise<Acknowledged[]> => {
        const acks: Acknowledged[] = [];
        while (submitNew) {
          const n = next++;
          const key = `e2e-sigterm-${n}`;
          const spec = {
            title: `queued ${n}`,
            type: n % 2 === 0 ? "backend" : "qa",
            action: { kind: "noop" },
            metadata: { key },
          };
          acks.push(await submitUntilAcknowledged(api, key, spec, deadline));
        }
        return acks;
      };
      const clients = Array.from({ length: 4 }, client);
      await eventually(async () => (next >= 60 ? true : undefined), "60 submissions under way");

      first.cli.child.kill("SIGTERM");
      const exit = await Promise.race([
        first.cli.exited,
        new Promise((resolve) => setTimeout(() => resolve("still running"), 40_000)),
      ]);
      expect(exit, first.cli.stdout.slice(-3_000)).toEqual({ code: 0, signal: null });
      // The long commands were stopped, not finished.
      const firstRuns = (await gate.events()).filter((e) => e.event === "start").map((e) => e.pid);
      expect(firstRuns).toHaveLength(LONG);
      await eventually(
        async () => (firstRuns.some(alive) ? undefined : true),
        "the stopped runs gone",
      );
      expect((await gate.events()).filter((e) => e.event === "end")).toEqual([]);

      const second = await launchSystem(dir.path, FLAGS);
      api.baseUrl = second.gatewayUrl;
      await gate.openAll();
      submitNew = false;
      const acks = (await Promise.all(clients)).flat();
      const keys = new Set(acks.map((a) => a.key));
      // Submissions were under way while the system was down, and went through afterwards.
      expect(acks.some((a) => a.refusals.length > 0)).toBe(true);
      expect(keys.size).toBe(next);

      const expected = acks.length + batch.length;
      await eventually(
        async () => ((await api.countTasks("status=completed")) === expected ? true : undefined),
        "every task completed",
        60_000,
      );
      const tasks = await api.allTasks();
      expect(tasks).toHaveLength(expected);
      expect(new Set(tasks.map((t) => t.id))).toEqual(
        new Set([...graph, ...acks.map((a) => a.task)].map((t) => t.id)),
      );

      // The long tasks were handed back by the stopping agent (no failed attempt) and ran again.
      const secondRuns = new Set(
        (await gate.events()).filter((e) => e.event === "end").map((e) => e.pid),
      );
      for (const id of longIds) {
        const task = await api.getTask(id);
        const story = describeTask(task);
        expect(task, story).toMatchObject({ status: "completed", failed_attempts: 0, attempt: 2 });
        expect(
          task.history.some(
            (e) => e.attempt === 1 && e.reason === "handed back by backend-1: agent shutting down",
          ),
          story,
        ).toBe(true);
        expect(
          transitionsTo(task, "completed").map((e) => e.attempt),
          story,
        ).toEqual([2]);
        const pid = Number(
          /^done long-\d+ (\d+)\n$/.exec(
            String((task.result?.output as { stdout: string }).stdout),
          )?.[1],
        );
        expect(secondRuns.has(pid), story).toBe(true);
      }

      // Every task's completion is recorded once.
      const twice = (
        await mapConcurrent(tasks, 8, async (t) => {
          const detail = await api.getTask(t.id);
          return transitionsTo(detail, "completed").length === 1 ? null : describeTask(detail);
        })
      ).filter((story) => story !== null);
      expect(twice).toEqual([]);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
