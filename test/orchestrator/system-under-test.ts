import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CliProcess, cleanEnv, runCli } from "../cli/cli-process.js";

/** One process as `mcp-dist status --json` prints it. */
export interface StatusEntry {
  name: string;
  component: string;
  pid: number;
  port: number;
  state: string;
  uptimeMs: number;
  restarts: number;
  cpuPercent: number;
  rssBytes: number;
  lastExit: string;
  message: string;
}

/** Flags for a system on port 0 everywhere in `dir`, with short restart timings. */
export function systemFlags(dir: string, extra: string[] = []): string[] {
  const agentPorts = [
    "manager",
    "frontend",
    "backend",
    "database",
    "devops",
    "integration",
    "qa",
  ].flatMap((t) => [`--${t}-agent-port`, "0"]);
  return [
    "--data-dir",
    join(dir, "data"),
    "--log-dir",
    join(dir, "logs"),
    "--host",
    "127.0.0.1",
    "--gateway-port",
    "0",
    "--coordinator-port",
    "0",
    "--integration-port",
    "0",
    "--orchestrator-port",
    "0",
    ...agentPorts,
    "--orchestrator-restart-initial-delay-ms",
    "50",
    "--orchestrator-stable-after-ms",
    "2000",
    "--orchestrator-stop-timeout-ms",
    "10000",
    ...extra,
  ];
}

/** Starts `mcp-dist start` in its own process group (see CliProcess.killAll for cleanup). */
export function startSystem(
  dir: string,
  extra: string[] = [],
  env: Record<string, string> = {},
): CliProcess {
  return new CliProcess(["start", ...systemFlags(dir, extra)], { env: cleanEnv(env) });
}

/** The system's processes, through the real `mcp-dist status --json`. */
export async function status(dir: string): Promise<StatusEntry[]> {
  const result = await runCli(["status", "--json", "--data-dir", join(dir, "data")]);
  if (result.code !== 0) throw new Error(`status exited ${result.code}: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { processes: StatusEntry[] }).processes;
}

/** Every record of the system log. */
export async function systemLog(dir: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(dir, "logs", "mcp_system.log"), "utf8");
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Whether any process is left in the process group led by `pgid`. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
