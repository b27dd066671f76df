import { isTaskStatus, type JsonObject, type TaskEventRecord } from "../../domain/index.js";
import { decodeEnumColumn, parseJsonColumn } from "./row-decoding.js";

/** One history entry as stored: a JSON line, the task implied by the row it is in. */
interface EventLine {
  at: number;
  from: string | null;
  to: string;
  actor: string;
  reason: string;
  attempt: number;
  details: JsonObject | null;
}

/** The line appended to a task's `history` column for `event`. */
export function eventToLine(event: TaskEventRecord): string {
  const line: EventLine = {
    at: event.at,
    from: event.from,
    to: event.to,
    actor: event.actor,
    reason: event.reason,
    attempt: event.attempt,
    details: event.details,
  };
  return `${JSON.stringify(line)}\n`;
}

/** A task's history column back into records, in the order appended. */
export function eventsFromHistory(history: string, taskId: string): TaskEventRecord[] {
  const events: TaskEventRecord[] = [];
  for (const text of history.split("\n")) {
    if (text === "") continue;
    const line = parseJsonColumn<EventLine>(text, "tasks", "history", taskId);
    events.push({
      taskId,
      at: line.at,
      from:
        line.from === null
          ? null
          : decodeEnumColumn(line.from, isTaskStatus, "tasks", "history", taskId),
      to: decodeEnumColumn(line.to, isTaskStatus, "tasks", "history", taskId),
      actor: line.actor,
      reason: line.reason,
      attempt: line.attempt,
      details: line.details,
    });
  }
  return events;
}
