import { describe, expect, it } from "vitest";
import { CliProcess, eventually } from "../cli/cli-process.js";
import { useGatedScenario } from "./gated-scenario.js";
import { describeTask, RestClient, transitionsTo } from "./rest-client.js";
import { launchSystem, processNamed, SCENARIO_TIMEOUT_MS } from "./running-system.js";

/**
 * A paused agent's late result: its lease runs out while it is stopped, attempt 2 goes to a
 * second backend agent, and when the first wakes up with the result of attempt 1 the
 * coordinator refuses it (fencing by attempt) and writes the refusal into the history.
 */
describe("a stale attempt's completion", () => {
  const scenario = useGatedScenario("mcp-e2e-stale-");

  it(
    "is refused once attempt 2 belongs to another agent; only attempt 2's completion counts",
    async () => {
      const { dir, gate } = scenario;
      const system = await launchSystem(dir.path, ["--agents", "backend"]);
      const api = new RestClient(system.gatewayUrl);
      const created = await api.createTask({
        title: "slow migration",
        type: "backend",
        max_attempts: 3,
        action: { kind: "command", argv: gate.argv("migrate") },
      });
      const [firstRun] = await gate.waitForStarts("migrate", 1);
      await api.waitForTask(
        created.id,
        (t) => t.status === "in_progress" && t.agent_id === "backend-1",
        "in progress on backend-1",
      );

      // A second backend agent, run alone against the same coordinator (as on another host).
      const coordinator = await processNamed(dir.path, "coordinator");
      new CliProcess([
        "run",
        "agent",
        "--type",
        "backend",
        "--id",
        "backend-2",
        "--port",
        "0",
        "--coordinator",
        `127.0.0.1:${coordinator.port}`,
      ]);
      await eventually(
        async () =>
          (await api.agents()).some((a) => a.id === "backend-2" && a.state === "online")
            ? true
            : undefined,
        "backend-2 online",
      );

      const first = await processNamed(dir.path, "agent-backend");
      scenario.pause(first.pid);

      // Attempt 1's lease lapses; the task runs again on backend-2 while backend-1 sleeps.
      const moved = await api.waitForTask(
        created.id,
        (t) => t.status === "in_progress" && t.agent_id === "backend-2",
        "in progress on backend-2",
      );
      // Attempt 2, unless the retry reached backend-1 in the instant before it was seen silent
      // (then that attempt lapsed too): what matters is that the current attempt is later than 1.
      const current = moved.attempt;
      expect(current).toBeGreaterThanOrEqual(2);
      const [, secondRun] = await gate.waitForStarts("migrate", 2);
      // Attempt 1's command finishes while its agent is stopped; its result waits in the agent.
      await gate.open(firstRun as number);
      await gate.waitForEnd(firstRun as number);

      scenario.resume(first.pid);
      const refused = await api.waitForTask(
        created.id,
        (t) =>
          t.history.some((e) =>
            e.reason.startsWith("refused the result of attempt 1 from backend-1"),
          ),
        "the late result of attempt 1 refused",
      );
      expect(refused, describeTask(refused)).toMatchObject({
        status: "in_progress",
        attempt: current,
        agent_id: "backend-2",
      });

      await gate.open(secondRun as number);
      const done = await api.waitForTask(created.id, (t) => t.status === "completed", "completed");
      const story = describeTask(done);
      expect(done, story).toMatchObject({
        attempt: current,
        agent_id: "backend-2",
        failed_attempts: current - 1,
      });
      // The recorded result is backend-2's run, not the late one of attempt 1.
      expect(done.result?.output, story).toMatchObject({
        exit_code: 0,
        stdout: `done migrate ${secondRun}\n`,
      });
      expect(
        transitionsTo(done, "completed").map((e) => [e.attempt, e.actor]),
        story,
      ).toEqual([[current, "backend-2"]]);
      const assignments = transitionsTo(done, "assigned").map((e) => [
        e.attempt,
        e.details?.agent_id,
      ]);
      expect(assignments[0], story).toEqual([1, "backend-1"]);
      expect(assignments.at(-1), story).toEqual([current, "backend-2"]);
      expect(
        done.history.some(
          (e) =>
            e.attempt === 1 &&
            e.reason.startsWith("attempt 1 lost: lease expired (backend-1 silent)"),
        ),
        story,
      ).toBe(true);
      const refusal = done.history.find((e) =>
        e.reason.startsWith("refused the result of attempt 1"),
      );
      expect(refusal, story).toMatchObject({
        actor: "backend-1",
        from: "in_progress",
        to: "in_progress",
      });
      expect(refusal?.reason, story).toMatch(
        /^refused the result of attempt 1 from backend-1: (the task is leased to backend-2, not backend-1|stale attempt 1: the task is at attempt \d+)$/,
      );

      // The woken agent reconnects and serves again.
      await eventually(
        async () =>
          (await api.agents()).some((a) => a.id === "backend-1" && a.state === "online")
            ? true
            : undefined,
        "backend-1 online again",
      );
    },
    SCENARIO_TIMEOUT_MS,
  );
});
