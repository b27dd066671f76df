import { describe, expect, it } from "vitest";
import { eventually } from "../cli/cli-process.js";
import { AgentServiceClient } from "../../src/gen/mcp/v1/agent.js";
import { CLIENT_OPTIONS, insecure, promiseClient } from "../../src/rpc/index.js";
import { useGatedScenario } from "./gated-scenario.js";
import {
  launchSystem,
  processNamed,
  SCENARIO_TIMEOUT_MS,
  waitForRestart,
} from "./running-system.js";

interface MailboxJson {
  messages: Array<{ seq: number; subject: string }>;
  acked_seq: number;
  pending: number;
}

/**
 * Mail for an agent process that is killed with SIGKILL: what it had acknowledged stays
 * handled, what was sent while it was down (or still in flight to the dead process) waits in
 * its mailbox and reaches the restarted process in order, once.
 */
describe("kill -9 of an agent with mail", () => {
  const scenario = useGatedScenario("mcp-e2e-mailbox-");

  it(
    "delivers what came while it was down to the restarted process, in order, once",
    async () => {
      const { dir } = scenario;
      const system = await launchSystem(dir.path, ["--agents", "qa"]);
      const send = async (subject: string) => {
        const response = await fetch(`${system.gatewayUrl}/api/v1/messages`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ sender: "tester", to: { agent_id: "qa-1" }, subject }),
        });
        expect(response.status, await response.clone().text()).toBe(201);
        return ((await response.json()) as { seq: number }).seq;
      };
      const mailbox = async () =>
        (await (
          await fetch(`${system.gatewayUrl}/api/v1/agents/qa-1/mailbox`)
        ).json()) as MailboxJson;

      const before: number[] = [];
      for (let i = 0; i < 5; i++) before.push(await send(`before ${i}`));
      // Handled and acknowledged by the first process.
      await eventually(
        async () => ((await mailbox()).acked_seq === before.at(-1) ? true : undefined),
        "acks",
        10_000,
      );

      const agent = await processNamed(dir.path, "agent-qa");
      process.kill(agent.pid, "SIGKILL");
      const during: number[] = [];
      for (let i = 0; i < 20; i++) during.push(await send(`during ${i}`));

      const restarted = await waitForRestart(dir.path, "agent-qa", agent.pid);
      const client = new AgentServiceClient(
        `127.0.0.1:${restarted.port}`,
        insecure(),
        CLIENT_OPTIONS,
      );
      try {
        const status = promiseClient(client, 5_000);
        const received = await eventually(
          async () => {
            const { messages } = await status.listReceivedMessages({ limit: 200 });
            return messages.length >= during.length ? messages : undefined;
          },
          "the restarted agent to receive its mail",
          20_000,
        );
        expect(received.map((m) => m.subject)).toEqual(during.map((_, i) => `during ${i}`));
        expect(received.map((m) => m.seq)).toEqual(during);
        await eventually(
          async () => ((await mailbox()).acked_seq === during.at(-1) ? true : undefined),
          "the restarted agent's acks",
          10_000,
        );
        expect((await mailbox()).pending).toBe(0);
        // Nothing more arrives: no message was delivered twice to the new process.
        await new Promise((r) => setTimeout(r, 500));
        const { messages } = await status.listReceivedMessages({ limit: 200 });
        expect(messages).toHaveLength(during.length);
      } finally {
        client.close();
      }
    },
    SCENARIO_TIMEOUT_MS,
  );
});
