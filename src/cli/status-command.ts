import type { Command } from "commander";
import { AppError } from "../domain/index.js";
import { OrchestratorServiceClient, type ProcessStatus } from "../gen/mcp/v1/orchestrator.js";
import {
  isProcessAlive,
  processStateFromWire,
  readStateFile,
  stateFilePath,
} from "../orchestrator/index.js";
import { CLIENT_OPTIONS, insecure, promiseClient } from "../rpc/index.js";
import { EXIT_FAILURE, reportFailure } from "./cli-failure.js";
import { addConfigFlags } from "./config-flags.js";
import { loadCliConfig } from "./load-cli-config.js";
import { formatDuration, formatStatusTable, type StatusRow } from "./status-table.js";

/** How long status waits for the orchestrator to answer. */
const STATUS_TIMEOUT_MS = 5_000;

/** `mcp-dist status`: every process of the running system, as a table or JSON. */
export function addStatusCommand(program: Command): void {
  const status = program
    .command("status")
    .description("Show every process of the running system (found through its data folder).")
    .option("--json", "Print JSON instead of a table.");
  addConfigFlags(status).action((options: { json?: boolean }, command: Command) =>
    showStatus(command, options.json === true),
  );
}

async function showStatus(command: Command, json: boolean): Promise<void> {
  let dataDir: string;
  try {
    dataDir = loadCliConfig(command).dataDir;
  } catch (error) {
    reportFailure(error);
    return;
  }
  const info = await readStateFile(dataDir);
  if (!info) return nothingRuns(`no system is running (no ${stateFilePath(dataDir)})`);

  const client = new OrchestratorServiceClient(info.controlAddress, insecure(), CLIENT_OPTIONS);
  let processes: ProcessStatus[];
  try {
    processes = (await promiseClient(client, STATUS_TIMEOUT_MS).getProcesses({})).processes;
  } catch (error) {
    const why = isProcessAlive(info.pid)
      ? `the orchestrator (pid ${info.pid}) does not answer at ${info.controlAddress}: ${AppError.from(error).message}`
      : `no system is running (the orchestrator, pid ${info.pid}, is gone and left ${stateFilePath(dataDir)} behind)`;
    return nothingRuns(why);
  } finally {
    client.close();
  }

  if (json) {
    const out = {
      orchestrator: info,
      processes: processes.map((p) => ({
        name: p.name,
        component: p.component,
        pid: p.pid,
        port: p.port,
        state: processStateFromWire(p.state),
        startedAt: p.startedAtMs ? new Date(p.startedAtMs).toISOString() : null,
        uptimeMs: p.uptimeMs,
        restarts: p.restarts,
        cpuPercent: p.cpuPercent,
        rssBytes: p.rssBytes,
        lastExit: p.lastExit,
        message: p.message,
      })),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const own = processes.find((p) => p.component === "orchestrator");
  const uptime = own ? `, up ${formatDuration(own.uptimeMs)}` : "";
  const phase = info.ready ? "started" : "starting since";
  process.stdout.write(
    `System ${phase} ${info.startedAt} (orchestrator pid ${info.pid}${uptime}); gateway ${info.gatewayUrl || "not running"}\n\n`,
  );
  const rows: StatusRow[] = processes.map((p) => ({
    name: p.name,
    pid: p.pid,
    port: p.port,
    state: processStateFromWire(p.state),
    uptimeMs: p.uptimeMs,
    restarts: p.restarts,
    cpuPercent: p.cpuPercent,
    rssBytes: p.rssBytes,
    note: p.message || (p.lastExit ? `last exit: ${p.lastExit}` : ""),
  }));
  process.stdout.write(`${formatStatusTable(rows)}\n`);
}

function nothingRuns(line: string): void {
  process.stderr.write(`mcp-dist: ${line}\n`);
  process.exitCode = EXIT_FAILURE;
}
