import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { AGENT_TYPES, AppError } from "../src/domain/index.js";
import {
  cpuSeconds,
  formatCount,
  formatMs,
  formatRate,
  positiveInteger,
  renderTable,
  summarizeLatencies,
} from "./lib/index.js";
import type { FromBenchAgent, ToBenchAgent, Traffic } from "./messages/bench-protocol.js";

/**
 * npm run bench:messages [-- --seconds S --window W --load N --half-load H --traffic direct,type,broadcast]
 *
 * Seven real agents (one process each, one Connect stream each) send messages to each other
 * through the coordinator's hub, durable in SQLite: direct (to the next agent by id), type-routed
 * (to the next agent's type) and broadcast (to all seven). For each kind of traffic: closed loop
 * with W sends in flight per agent; open loop offering N delivered messages per second (the
 * target); open loop at H (latency at half the target). Delivered/s is every delivery divided
 * by the time from the first send to the last delivery (backlog included).
 */
const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const AGENT = fileURLToPath(new URL("./messages/message-bench-agent.js", import.meta.url));
const TRAFFIC: readonly Traffic[] = ["direct", "type", "broadcast"];

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    window: { type: "string", default: "64" },
    load: { type: "string", default: "50000" },
    "half-load": { type: "string", default: "25000" },
    traffic: { type: "string", default: TRAFFIC.join(",") },
  },
});
let seconds: number;
let window: number;
let halfLoad: number;
let load: number;
let traffics: Traffic[];
try {
  seconds = positiveInteger("--seconds", Number(values.seconds), 60);
  window = positiveInteger("--window", Number(values.window), 10_000);
  halfLoad = positiveInteger("--half-load", Number(values["half-load"]), 1_000_000);
  load = positiveInteger("--load", Number(values.load), 1_000_000);
  traffics = values.traffic.split(",").map((t) => {
    if (!(TRAFFIC as readonly string[]).includes(t)) {
      throw AppError.invalidArgument(
        "--traffic",
        `--traffic takes ${TRAFFIC.join(", ")}, not ${t}`,
      );
    }
    return t as Traffic;
  });
} catch (error) {
  console.error(AppError.from(error).message);
  process.exit(2);
}

function once<T>(
  child: ChildProcess,
  accept: (message: FromBenchAgent) => T | undefined,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = () => {
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    const onMessage = (message: FromBenchAgent) => {
      if (message.type === "error") {
        done();
        reject(new Error(message.message));
        return;
      }
      const value = accept(message);
      if (value !== undefined) {
        done();
        resolve(value);
      }
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`a bench process exited (${code})`));
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

const dir = mkdtempSync(join(tmpdir(), "mcp-bench-messages-"));
const children: ChildProcess[] = [];
const cleanup = () => {
  for (const child of children) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
};
process.on("SIGINT", () => {
  cleanup();
  process.exit(130);
});

try {
  console.log(
    `message benchmark: 7 agents, ${seconds} s per run, ${window} sends in flight per agent; ${cpus().length} cores, Node ${process.version}, load ${loadavg()[0]?.toFixed(2)}`,
  );
  const coordinator = fork(
    CLI,
    [
      "run",
      "coordinator",
      "--host",
      "127.0.0.1",
      "--coordinator-port",
      "0",
      "--data-dir",
      join(dir, "data"),
      "--log-dir",
      join(dir, "logs"),
      "--log-level",
      "warn",
    ],
    { stdio: ["ignore", "ignore", "inherit", "ipc"] },
  );
  children.push(coordinator);
  const port = await new Promise<number>((resolve, reject) => {
    coordinator.on("message", (m: { type: string; port?: number }) => {
      if (m.type === "ready" && m.port !== undefined) resolve(m.port);
    });
    coordinator.once("exit", (code) => reject(new Error(`the coordinator exited (${code})`)));
  });
  const address = `127.0.0.1:${port}`;
  const agents = AGENT_TYPES.map((type) => {
    const id = `${type}-bench`;
    const child = fork(AGENT, [address, id, type], {
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    children.push(child);
    return { id, type, child };
  });
  await Promise.all(
    agents.map((a) => once(a.child, (m) => (m.type === "ready" ? true : undefined))),
  );

  const rows: string[][] = [];
  let runs = 0;
  const run = async (traffic: Traffic, label: string, ratePerAgent: number) => {
    runs += 1;
    const cpuBefore = cpuSeconds(coordinator.pid ?? 0);
    const results = await Promise.all(
      agents.map((a, i) => {
        const peer = agents[(i + 1) % agents.length] as (typeof agents)[number];
        const command: ToBenchAgent = {
          type: "run",
          run: runs,
          traffic,
          seconds,
          window,
          rate: ratePerAgent,
          peer: { id: peer.id, type: peer.type },
        };
        a.child.send(command);
        return once(a.child, (m) => (m.type === "result" ? m : undefined));
      }),
    );
    const cpu = cpuSeconds(coordinator.pid ?? 0) - cpuBefore;
    const sent = results.reduce((n, r) => n + r.sent, 0);
    const failed = results.reduce((n, r) => n + r.failed, 0);
    const received = results.reduce((n, r) => n + r.received, 0);
    const start = Math.min(...results.map((r) => r.firstSentAt));
    const end = Math.max(...results.map((r) => r.lastReceivedAt));
    const elapsed = Math.max(seconds, (end - start) / 1000);
    const latency = summarizeLatencies(results.flatMap((r) => r.latenciesMs));
    const fanOut = traffic === "broadcast" ? agents.length : 1;
    rows.push([
      traffic,
      label,
      formatRate(sent / seconds),
      formatRate(received / elapsed),
      `${formatCount(received)} of ${formatCount(sent * fanOut)}`,
      formatMs(latency.p50Ms),
      formatMs(latency.p99Ms),
      formatMs(latency.maxMs),
      `${Math.round((cpu / (elapsed + 1)) * 100)}%`,
    ]);
    if (failed > 0) console.log(`${traffic} ${label}: ${failed} sends failed`);
    console.log(rows.at(-1)?.join("  "));
  };

  for (const traffic of traffics) {
    const fanOut = traffic === "broadcast" ? agents.length : 1;
    await run(traffic, `${window} in flight per agent`, 0);
    for (const offered of [load, halfLoad]) {
      await run(traffic, `${formatRate(offered)} offered`, offered / fanOut / agents.length);
    }
  }
  console.log();
  console.log(
    renderTable(
      [
        { header: "traffic" },
        { header: "load" },
        { header: "sent", align: "right" },
        { header: "delivered", align: "right" },
        { header: "delivered of expected", align: "right" },
        { header: "delivery p50", align: "right" },
        { header: "delivery p99", align: "right" },
        { header: "max", align: "right" },
        { header: "coordinator CPU", align: "right" },
      ],
      rows,
    ),
  );
  for (const a of agents) a.child.send({ type: "stop" } satisfies ToBenchAgent);
  await Promise.all(agents.map((a) => new Promise((r) => a.child.once("exit", r))));
  coordinator.kill("SIGTERM");
  await new Promise((r) => coordinator.once("exit", r));
} catch (error) {
  console.error(`bench:messages failed: ${AppError.from(error).message}`);
  process.exitCode = 1;
} finally {
  cleanup();
}
