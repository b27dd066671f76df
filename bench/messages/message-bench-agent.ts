import { pino } from "pino";
import { Agent, agentOptionsFromConfig } from "../../src/agent/index.js";
import { loadConfig } from "../../src/config/index.js";
import {
  AppError,
  type AgentType,
  isJsonObject,
  type MessageSpec,
} from "../../src/domain/index.js";
import { epochMs } from "../lib/index.js";
import type { FromBenchAgent, ToBenchAgent } from "./bench-protocol.js";

/**
 * One of the seven agents of `npm run bench:messages`: a real Agent (stream, mailbox, acks)
 * that, when told, sends messages to its peer for a while and reports what it sent and what
 * it received, with delivery latencies taken from the send time in each message's body.
 *
 * argv: coordinator address, agent id, agent type.
 */
const [address, id, type] = process.argv.slice(2) as [string, string, AgentType];
const MAX_SAMPLES = 200_000;

function send(message: FromBenchAgent): void {
  process.send?.(message);
}

const config = loadConfig({ env: {}, flags: {}, cwd: process.cwd() });
const agent = new Agent(
  agentOptionsFromConfig(config, type, {
    id,
    port: 0,
    host: "127.0.0.1",
    coordinatorAddress: address,
  }),
  pino({ level: "warn" }),
);

let measuring = false;
let currentRun = -1;
let received = 0;
let lastReceivedAt = 0;
const latencies: number[] = [];
agent.mail.onMessage((message) => {
  const body = message.body;
  if (!measuring || !isJsonObject(body) || body.run !== currentRun) return;
  received += 1;
  lastReceivedAt = epochMs();
  if (typeof body.t === "number" && latencies.length < MAX_SAMPLES) {
    latencies.push(lastReceivedAt - body.t);
  }
});

async function run(command: Extract<ToBenchAgent, { type: "run" }>): Promise<void> {
  received = 0;
  currentRun = command.run;
  lastReceivedAt = 0;
  latencies.length = 0;
  measuring = true;
  const firstSentAt = epochMs();
  let sent = 0;
  let failed = 0;
  const until = Date.now() + command.seconds * 1000;
  const to: MessageSpec["to"] =
    command.traffic === "direct"
      ? { kind: "agent", agentId: command.peer.id }
      : command.traffic === "type"
        ? { kind: "any_of_type", type: command.peer.type }
        : { kind: "everyone" };
  const messageType = command.traffic === "broadcast" ? "broadcast" : "notification";
  const sendOne = async (): Promise<void> => {
    try {
      await agent.mail.send({
        type: messageType,
        to,
        subject: "bench",
        body: { run: command.run, t: epochMs() },
        taskId: null,
        projectId: null,
        replyTo: null,
        correlationId: null,
        ttlMs: 60_000,
      });
      sent += 1;
    } catch {
      failed += 1;
    }
  };
  if (command.rate > 0) {
    // Open loop: every 10 ms, the sends due by then, whatever is still in flight.
    const started = Date.now();
    let issued = 0;
    const inFlight = new Set<Promise<void>>();
    while (Date.now() < until) {
      const due = Math.floor(((Date.now() - started) / 1000) * command.rate);
      for (; issued < due; issued++) {
        const p = sendOne().finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(inFlight);
  } else {
    const lane = async (): Promise<void> => {
      while (Date.now() < until) await sendOne();
    };
    await Promise.all(Array.from({ length: command.window }, lane));
  }
  // Let the last deliveries arrive: until nothing came for 3 s (at most two minutes).
  const drainUntil = Date.now() + 120_000;
  let seen = -1;
  while (seen !== received && Date.now() < drainUntil) {
    seen = received;
    await new Promise((r) => setTimeout(r, 3_000));
  }
  measuring = false;
  send({
    type: "result",
    id,
    sent,
    failed,
    received,
    firstSentAt,
    lastReceivedAt,
    latenciesMs: latencies,
  });
}

process.on("message", (raw: ToBenchAgent) => {
  if (raw.type === "run") {
    run(raw).catch((error: unknown) =>
      send({ type: "error", message: AppError.from(error).message }),
    );
  } else {
    void agent.close().then(() => process.exit(0));
  }
});

await agent.start();
const deadline = Date.now() + 30_000;
while (!agent.connected) {
  if (Date.now() > deadline) {
    send({ type: "error", message: `${id} could not reach the coordinator at ${address}` });
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 50));
}
send({ type: "ready", id });
