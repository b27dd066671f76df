import { describe, expect, it } from "vitest";
import { alive } from "../cli/cli-process.js";
import { useGatedScenario } from "./gated-scenario.js";
import { describeTask, RestClient, transitionsTo } from "./rest-client.js";
import {
  launchSystem,
  processNamed,
  SCENARIO_TIMEOUT_MS,
  waitForRestart,
} from "./running-system.js";

/**
 * An agent killed with SIGKILL while its task runs: the orchestrator restarts it, the
 * coordinator counts attempt 1 as lost, and the task runs again and is completed once.
 */
describe("kill -9 of an agent mid-task", () => {
  const scenario = useGatedScenario("mcp-e2e-agent-kill-");

  it(
    "re-runs the task as attempt 2 on the restarted agent and records one completion",
    async () => {
      const { dir, gate } = scenario;
      const system = await launchSystem(dir.path, ["--agents", "backend"]);
      const api = new RestClient(system.gatewayUrl);
      const created = await api.createTask({
        title: "long build",
        type: "backend",
        action: { kind: "command", argv: gate.argv("build") },
      });

      const [firstRun] = await gate.waitForStarts("build", 1);
      await api.waitForTask(
        created.id,
        (t) => t.status === "in_progress" && t.attempt === 1,
        "in progress at attempt 1",
      );
      const agent = await processNamed(dir.path, "agent-backend");
      process.kill(agent.pid, "SIGKILL");

      const restarted = await waitForRestart(dir.path, "agent-backend", agent.pid);
      expect(restarted.restarts).toBe(1);
      expect(restarted.lastExit).toBe("signal SIGKILL");

      // The task runs again: a new process, started by the new agent.
      const [, secondRun] = await gate.waitForStarts("build", 2);
      expect(secondRun).not.toBe(firstRun);
      await api.waitForTask(
        created.id,
        (t) => t.status === "in_progress" && t.attempt === 2,
        "in progress at attempt 2",
      );
      // The orphan of attempt 1 finishing now must change nothing: nobody is left to report it.
      await gate.open(firstRun as number);
      await gate.waitForEnd(firstRun as number);
      await gate.open(secondRun as number);

      const done = await api.waitForTask(created.id, (t) => t.status === "completed", "completed");
      const story = describeTask(done);
      expect(done, story).toMatchObject({ attempt: 2, failed_attempts: 1, agent_id: "backend-1" });
      expect(done.result?.output, story).toMatchObject({
        exit_code: 0,
        stdout: `done build ${secondRun}\n`,
      });
      expect(
        transitionsTo(done, "completed").map((e) => [e.attempt, e.actor]),
        story,
      ).toEqual([[2, "backend-1"]]);
      expect(
        transitionsTo(done, "assigned").map((e) => e.attempt),
        story,
      ).toEqual([1, 2]);
      // Attempt 1 is recorded as lost: the new agent came back without it, or its lease ran out
      // first (whichever the coordinator saw first).
      const loss = done.history.find(
        (e) => e.attempt === 1 && e.reason.startsWith("attempt 1 lost: "),
      );
      expect(loss?.reason, story).toMatch(
        /^attempt 1 lost: (backend-1 restarted \(pid \d+ -> \d+\) while holding it|lease expired \(backend-1 silent\)); retrying/,
      );
      expect(alive(agent.pid)).toBe(false);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
