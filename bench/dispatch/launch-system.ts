import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  OrchestratorServiceClient,
  type ProcessStatus,
} from "../../src/gen/mcp/v1/orchestrator.js";
import { CLIENT_OPTIONS, insecure, promiseClient } from "../../src/rpc/index.js";

const CLI = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
const AGENT_TYPES = ["manager", "frontend", "backend", "database", "devops", "integration", "qa"];

export interface LaunchedSystem {
  processes: ProcessStatus[];
  coordinatorAddress: string;
  stop(): Promise<void>;
}

/**
 * Starts the whole system (`mcp-dist start`) as real processes on free ports in `dir`, with
 * every agent at `concurrency`, and waits until the orchestrator reports it ready.
 */
export async function launchSystem(
  dir: string,
  concurrency: number,
  extraFlags: string[] = [],
): Promise<LaunchedSystem> {
  const flags = [
    "start",
    "--data-dir",
    join(dir, "data"),
    "--log-dir",
    join(dir, "logs"),
    "--log-level",
    "warn",
    "--gateway-port",
    "0",
    "--coordinator-port",
    "0",
    "--integration-port",
    "0",
    "--orchestrator-port",
    "0",
    ...AGENT_TYPES.flatMap((t) => [
      `--${t}-agent-port`,
      "0",
      `--agents-concurrency-${t}`,
      String(concurrency),
    ]),
    ...extraFlags,
  ];
  // Node options for every process of the system (the orchestrator passes its own to its
  // children), e.g. MCP_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" to profile them all.
  const nodeArgs = (process.env.MCP_BENCH_NODE_ARGS ?? "").split(" ").filter((a) => a !== "");
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, CLI, ...flags], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const stateFile = join(dir, "data", "orchestrator.json");
  const deadline = Date.now() + 60_000;
  const readState = () =>
    existsSync(stateFile)
      ? (JSON.parse(readFileSync(stateFile, "utf8")) as { controlAddress: string; ready: boolean })
      : null;
  let state = readState();
  while (!state?.ready) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error("the system did not start");
    await new Promise((r) => setTimeout(r, 100));
    state = readState();
  }
  const control = state.controlAddress;
  const raw = new OrchestratorServiceClient(control, insecure(), CLIENT_OPTIONS);
  const processes = (await promiseClient(raw, 5_000).getProcesses({})).processes;
  raw.close();
  const coordinator = processes.find((p) => p.component === "coordinator");
  if (!coordinator) throw new Error("no coordinator in the process list");
  return {
    processes,
    coordinatorAddress: `127.0.0.1:${coordinator.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Peak resident set size of a live process (Linux VmHWM), or NaN. */
export function peakRssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds (user + system) a live process has used so far (Linux), or NaN. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100;
  } catch {
    return Number.NaN;
  }
}
