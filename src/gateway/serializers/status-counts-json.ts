import { statusFromWire } from "../../contract/index.js";
import { TASK_STATUSES } from "../../domain/index.js";
import type { StatusCount } from "../../gen/mcp/v1/project.js";
import type { StatusCountsJson } from "../schemas/project-schemas.js";

/** Counts by status as an object with every status present (0 when absent). */
export function statusCountsToJson(counts: readonly StatusCount[]): StatusCountsJson {
  const json = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as StatusCountsJson;
  for (const entry of counts) json[statusFromWire(entry.status, "counts.status")] += entry.count;
  return json;
}
