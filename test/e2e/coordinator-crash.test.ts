import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CliProcess, eventually, tempDir } from "../cli/cli-process.js";
import { appendLineArgv, readLines } from "./append-line-command.js";
import { submitUntilAcknowledged } from "./idempotent-submitter.js";
import { mapConcurrent } from "./map-concurrent.js";
import { describeTask, RestClient, transitionsTo } from "./rest-client.js";
import {
  launchSystem,
  processNamed,
  SCENARIO_TIMEOUT_MS,
  waitForRestart,
} from "./running-system.js";

const NOOPS = 300;
const COMMANDS = 20;
/** Acknowledged submissions after which the coordinator is killed, once each. */
const KILL_AFTER = [80, 200];

/**
 * The coordinator SIGKILLed twice while tasks are being submitted and run: the orchestrator
 * restarts it, clients retry with their Idempotency-Key through the 503s, and in the end every
 * acknowledged task is completed, once, and no key made two tasks.
 */
describe("kill -9 of the coordinator under load", () => {
  let dir: { path: string; remove: () => Promise<void> };

  beforeEach(async () => {
    dir = await tempDir("mcp-e2e-coord-kill-");
  });

  afterEach(async () => {
    await CliProcess.killAll();
    await dir.remove();
  });

  it(
    "completes every acknowledged task exactly once, none duplicated",
    async () => {
      const system = await launchSystem(dir.path, ["--agents", "backend,qa"]);
      const api = new RestClient(system.gatewayUrl);
      const file = join(dir.path, "commands.txt");

      // Commands spread among the no-ops, so that both kinds are in flight at each kill.
      const submissions = Array.from({ length: NOOPS + COMMANDS }, (_, i) => {
        const key = `e2e-load-${i}`;
        const isCommand = i % ((NOOPS + COMMANDS) / COMMANDS) === 0;
        const action = isCommand
          ? { kind: "command", argv: appendLineArgv(file, key) }
          : { kind: "noop" };
        return { key, spec: { title: `load ${i}`, action, metadata: { key } } };
      });
      const commandKeys = submissions
        .filter((s) => s.spec.action.kind === "command")
        .map((s) => s.key);
      expect(commandKeys).toHaveLength(COMMANDS);

      let acknowledged = 0;
      const deadline = Date.now() + 90_000;
      const submitting = mapConcurrent(submissions, 8, async ({ key, spec }) => {
        const ack = await submitUntilAcknowledged(api, key, spec, deadline);
        acknowledged += 1;
        return ack;
      });

      const killed: number[] = [];
      const chaos = (async () => {
        for (const threshold of KILL_AFTER) {
          await eventually(
            async () => (acknowledged >= threshold ? true : undefined),
            `${threshold} acknowledged submissions`,
            60_000,
          );
          const coordinator = await processNamed(dir.path, "coordinator");
          process.kill(coordinator.pid, "SIGKILL");
          killed.push(coordinator.pid);
          await waitForRestart(dir.path, "coordinator", coordinator.pid);
        }
      })();
      const [acks] = await Promise.all([submitting, chaos]);

      const coordinator = await processNamed(dir.path, "coordinator");
      expect(coordinator.restarts).toBe(KILL_AFTER.length);
      expect(killed).not.toContain(coordinator.pid);
      // While the coordinator was down the gateway said 503 (or the exchange broke), nothing
      // else; submissions were still flowing then, so some met it.
      const refusals = acks.flatMap((a) => a.refusals);
      expect(refusals).toContain(503);
      expect(
        refusals.every((r) => r === 503 || r === "network"),
        refusals.join(","),
      ).toBe(true);

      // Distinct keys made distinct tasks: a retry after a lost answer found the first task.
      const ids = new Set(acks.map((a) => a.task.id));
      expect(ids.size).toBe(submissions.length);

      await eventually(
        async () =>
          (await api.countTasks("status=completed")) === submissions.length ? true : undefined,
        "every acknowledged task to complete",
        60_000,
      );
      const tasks = await api.allTasks();
      expect(tasks).toHaveLength(submissions.length);
      expect(new Set(tasks.map((t) => t.id))).toEqual(ids);
      expect(tasks.filter((t) => t.status !== "completed")).toEqual([]);
      expect(new Set(tasks.map((t) => (t.metadata as { key: string }).key))).toEqual(
        new Set(submissions.map((s) => s.key)),
      );

      // Recorded once: one completed event in each history.
      const twice = (
        await mapConcurrent(tasks, 8, async (t) => {
          const detail = await api.getTask(t.id);
          return transitionsTo(detail, "completed").length === 1 ? null : describeTask(detail);
        })
      ).filter((story) => story !== null);
      expect(twice).toEqual([]);

      // Every key, sent again as if each answer had been lost, finds its task: the keys
      // acknowledged before the kills survived both restarts.
      const replays = await mapConcurrent(submissions, 8, async ({ key, spec }) => {
        const reply = await api.request<{ id: string }>("POST", "/api/v1/tasks", spec, {
          "Idempotency-Key": key,
        });
        return {
          key,
          status: reply.status,
          id: reply.json.id,
          replayed: reply.headers.get("idempotent-replayed"),
        };
      });
      const idOfKey = new Map(acks.map((a) => [a.key, a.task.id]));
      expect(
        replays.filter(
          (r) => r.status !== 201 || r.replayed !== "true" || r.id !== idOfKey.get(r.key),
        ),
      ).toEqual([]);
      expect(await api.countTasks()).toBe(submissions.length);

      // Every command ran (at least once: a run cut short by a crash may have been repeated).
      const lines = await readLines(file);
      for (const key of commandKeys) expect(lines, key).toContain(key);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
