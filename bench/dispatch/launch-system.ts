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
    // Loopback only, whatever the environment says.
    "--host",
    "127.0.0.1",
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
  try {
    return await waitUntilReady(child, dir);
  } catch (error) {
    await stopProcess(child, []);
    throw error;
  }
}

async function waitUntilReady(child: ChildProcess, dir: string): Promise<LaunchedSystem> {
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
  const processes = await promiseClient(raw, 5_000)
    .getProcesses({})
    .then((response) => response.processes)
    .finally(() => raw.close());
  const coordinator = processes.find((p) => p.component === "coordinator");
  if (!coordinator) throw new Error("no coordinator in the process list");
  return {
    processes,
    coordinatorAddress: `127.0.0.1:${coordinator.port}`,
    stop: () => stopProcess(child, processes),
  };
}

/** How long the orchestrator gets to stop its children in order before it is killed. */
const STOP_TIMEOUT_MS = 30_000;

/**
 * SIGTERM to the orchestrator (which stops its children in order); if it has not exited
 * within STOP_TIMEOUT_MS, SIGKILL to it and to each child it reported, by pid, so that no
 * process of the run outlives it.
 */
function stopProcess(child: ChildProcess, processes: readonly ProcessStatus[]): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      for (const p of processes) {
        if (p.pid > 0 && p.pid !== child.pid) killQuietly(p.pid);
      }
      child.kill("SIGKILL");
    }, STOP_TIMEOUT_MS);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
