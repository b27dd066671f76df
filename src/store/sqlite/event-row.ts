import { isTaskStatus, type JsonObject, type TaskEventRecord } from "../../domain/index.js";
import { decodeEnumColumn, parseNullableJsonColumn } from "./row-decoding.js";

/** A row of `task_events` without its id; keys are the column names. */
export interface EventRow {
  task_id: string;
  at: number;
  from_status: string | null;
  to_status: string;
  actor: string;
  reason: string;
  attempt: number;
  details: string | null;
}

export function eventToRow(event: TaskEventRecord): EventRow {
  return {
    task_id: event.taskId,
    at: event.at,
    from_status: event.from,
    to_status: event.to,
    actor: event.actor,
    reason: event.reason,
    attempt: event.attempt,
    details: event.details === null ? null : JSON.stringify(event.details),
  };
}

export function eventFromRow(row: EventRow): TaskEventRecord {
  const id = row.task_id;
  return {
    taskId: id,
    at: row.at,
    from:
      row.from_status === null
        ? null
        : decodeEnumColumn(row.from_status, isTaskStatus, "task_events", "from_status", id),
    to: decodeEnumColumn(row.to_status, isTaskStatus, "task_events", "to_status", id),
    actor: row.actor,
    reason: row.reason,
    attempt: row.attempt,
    details: parseNullableJsonColumn<JsonObject>(row.details, "task_events", "details", id),
  };
}
