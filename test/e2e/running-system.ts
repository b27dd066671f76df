import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type CliProcess, eventually } from "../cli/cli-process.js";
import { startSystem, status, type StatusEntry } from "../orchestrator/system-under-test.js";

/**
 * Leases and retries short enough that a lost attempt is noticed within about two seconds,
 * and restarts fast: the timings every end-to-end scenario runs with.
 */
export const FAST_TIMINGS = [
  "--coordinator-lease-ttl-ms",
  "1500",
  "--coordinator-heartbeat-interval-ms",
  "300",
  "--coordinator-retry-base-delay-ms",
  "100",
  "--coordinator-retry-max-delay-ms",
  "500",
  "--orchestrator-restart-max-delay-ms",
  "500",
];

/**
 * Deadline of one scenario: a system start (about 8 s on two busy cores, twice for a restart)
 * plus its bounded waits. Each wait inside has its own, shorter deadline.
 */
export const SCENARIO_TIMEOUT_MS = 120_000;

/** A whole system started by `mcp-dist start`, ready to serve. */
export interface RunningSystem {
  /** The orchestrator, leader of the process group every component runs in. */
  cli: CliProcess;
  gatewayUrl: string;
  /** host:port of the orchestrator's control service. */
  controlAddress: string;
}

interface StateFile {
  pid?: number;
  ready?: boolean;
  gatewayUrl?: string;
  controlAddress?: string;
}

/**
 * Starts the system in `dir` (data and logs inside it) with {@link FAST_TIMINGS}, `flags` and
 * `env` added to the environment,
 * and waits until the orchestrator's state file says it is ready. Cleanup is
 * `CliProcess.killAll()`, which kills the whole process group.
 */
export async function launchSystem(
  dir: string,
  flags: string[] = [],
  env: Record<string, string> = {},
): Promise<RunningSystem> {
  const cli = startSystem(dir, [...FAST_TIMINGS, ...flags], env);
  const state = await eventually(
    async () => {
      if (cli.child.exitCode !== null || cli.child.signalCode !== null) {
        throw new Error(
          `mcp-dist start exited early; stdout:\n${cli.stdout.slice(-4_000)}\nstderr:\n${cli.stderr}`,
        );
      }
      let parsed: StateFile;
      try {
        parsed = JSON.parse(
          await readFile(join(dir, "data", "orchestrator.json"), "utf8"),
        ) as StateFile;
      } catch {
        return undefined;
      }
      return parsed.pid === cli.pid && parsed.ready === true ? parsed : undefined;
    },
    "the system to be ready",
    90_000,
  );
  return { cli, gatewayUrl: state.gatewayUrl ?? "", controlAddress: state.controlAddress ?? "" };
}

/** The process named `name` (e.g. "coordinator", "agent-backend") as `mcp-dist status` reports it. */
export async function processNamed(dir: string, name: string): Promise<StatusEntry> {
  const entry = (await status(dir)).find((p) => p.name === name);
  if (entry === undefined) throw new Error(`mcp-dist status lists no process named ${name}`);
  return entry;
}

/** Waits until the orchestrator reports `name` healthy again under a pid other than `oldPid`. */
export function waitForRestart(
  dir: string,
  name: string,
  oldPid: number,
  timeoutMs = 30_000,
): Promise<StatusEntry> {
  return eventually(
    async () => {
      const entry = await processNamed(dir, name);
      return entry.state === "healthy" && entry.pid !== oldPid && entry.pid > 0 ? entry : undefined;
    },
    `${name} restarted under a new pid`,
    timeoutMs,
  );
}
