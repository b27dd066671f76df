import type { GetSystemStatusResponse } from "../../gen/mcp/v1/coordinator.js";
import { ProcessState, type ProcessStatus } from "../../gen/mcp/v1/orchestrator.js";
import type { CoordinatorStatusJson, ProcessJson } from "../schemas/system-schemas.js";
import { statusCountsToJson } from "./status-counts-json.js";
import { isoTime, isoTimeOrNull } from "./time-json.js";

/** System status, processes and integrations between JSON and the services' messages. */

export function coordinatorStatusToJson(
  status: GetSystemStatusResponse,
  address: string,
): CoordinatorStatusJson {
  return {
    address,
    version: status.version,
    started_at: isoTime(status.startedAtMs),
    task_counts: statusCountsToJson(status.taskCounts),
    agents: { online: status.agentsOnline, total: status.agentsTotal },
    store: status.store,
    store_ok: status.storeOk,
    ready_queue_depth: status.readyQueueDepth,
    active_leases: status.activeLeases,
  };
}

const PROCESS_STATE_PREFIX = "PROCESS_STATE_";

/** PROCESS_STATE_GIVEN_UP as "given_up"; the generated enum's reverse map is the one list. */
function processStateToJson(state: ProcessState): string {
  const name = (ProcessState as unknown as Record<number, string | undefined>)[state];
  return name === undefined || name === "UNRECOGNIZED"
    ? "unspecified"
    : name.slice(PROCESS_STATE_PREFIX.length).toLowerCase();
}

export function processToJson(process: ProcessStatus): ProcessJson {
  return {
    name: process.name,
    component: process.component,
    pid: process.pid,
    port: process.port,
    state: processStateToJson(process.state),
    started_at: isoTimeOrNull(process.startedAtMs),
    uptime_seconds: process.uptimeMs / 1000,
    restarts: process.restarts,
    cpu_percent: process.cpuPercent,
    rss_bytes: process.rssBytes,
    last_exit: process.lastExit,
    message: process.message,
  };
}
