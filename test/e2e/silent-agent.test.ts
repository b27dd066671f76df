import { describe, expect, it } from "vitest";
import { alive, eventually } from "../cli/cli-process.js";
import { useGatedScenario } from "./gated-scenario.js";
import { describeTask, RestClient, transitionsTo } from "./rest-client.js";
import { launchSystem, processNamed, SCENARIO_TIMEOUT_MS } from "./running-system.js";

/**
 * An agent that goes silent on a live connection (SIGSTOP: the socket stays open, nothing is
 * sent): the coordinator notices through the missing heartbeats, lists it offline, takes its
 * task back; when it wakes it reconnects, drops the stale run, and the task completes.
 */
describe("an agent silent on a live connection", () => {
  const scenario = useGatedScenario("mcp-e2e-silent-");

  it(
    "is marked offline, its task requeued after the lease, and the task completes once it is back",
    async () => {
      const { dir, gate } = scenario;
      const system = await launchSystem(dir.path, ["--agents", "backend"]);
      const api = new RestClient(system.gatewayUrl);
      const created = await api.createTask({
        title: "index rebuild",
        type: "backend",
        action: { kind: "command", argv: gate.argv("reindex") },
      });
      const [firstRun] = await gate.waitForStarts("reindex", 1);
      await api.waitForTask(created.id, (t) => t.status === "in_progress", "in progress");

      const agent = await processNamed(dir.path, "agent-backend");
      scenario.pause(agent.pid);

      const offline = await eventually(async () => {
        const found = (await api.agents()).find((a) => a.id === "backend-1");
        return found?.state === "offline" ? found : undefined;
      }, "backend-1 listed offline");
      expect(offline.pid).toBe(agent.pid);
      const requeued = await api.waitForTask(
        created.id,
        (t) => t.status === "pending" && t.failed_attempts >= 1,
        "back to pending",
      );
      const story1 = describeTask(requeued);
      expect(requeued.agent_id, story1).toBeNull();
      expect(
        requeued.history.some(
          (e) =>
            e.attempt === 1 &&
            e.reason.startsWith("attempt 1 lost: lease expired (backend-1 silent); retrying"),
        ),
        story1,
      ).toBe(true);
      // The stale run goes on meanwhile: nobody has told its agent yet.
      expect(alive(firstRun as number)).toBe(true);

      scenario.resume(agent.pid);
      // Back online, the agent gets the task again; the coordinator told it to drop the run of
      // attempt 1, which it stops.
      const rerun = await api.waitForTask(
        created.id,
        (t) => t.status === "in_progress" && t.attempt >= 2,
        "in progress again",
      );
      await eventually(
        async () => (alive(firstRun as number) ? undefined : true),
        "the stale run of attempt 1 stopped",
      );
      expect((await api.agents()).find((a) => a.id === "backend-1")).toMatchObject({
        state: "online",
        pid: agent.pid,
      });
      const current = rerun.attempt;
      // Usually attempt 2; one more if the retry reached the agent in the instant before it was
      // seen silent (that attempt lapsed too). The run of the current attempt is the last one.
      await gate.waitForStarts("reindex", 2);
      await gate.openAll();

      const done = await api.waitForTask(created.id, (t) => t.status === "completed", "completed");
      const story = describeTask(done);
      expect(done, story).toMatchObject({
        attempt: current,
        failed_attempts: current - 1,
        agent_id: "backend-1",
      });
      const runs = await gate.started("reindex");
      expect(done.result?.output, story).toMatchObject({
        exit_code: 0,
        stdout: `done reindex ${runs.at(-1)}\n`,
      });
      expect(
        transitionsTo(done, "completed").map((e) => e.attempt),
        story,
      ).toEqual([current]);
      expect(
        transitionsTo(done, "pending").some((e) => e.attempt === 1 && e.actor === "coordinator"),
        story,
      ).toBe(true);
      // Attempt 1's run was stopped, never finished.
      expect((await gate.events()).some((e) => e.event === "end" && e.pid === firstRun)).toBe(
        false,
      );
    },
    SCENARIO_TIMEOUT_MS,
  );
});
