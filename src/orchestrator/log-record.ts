import { isJsonObject, type JsonObject } from "../domain/index.js";

/** One log record on its way to the system log: its JSON text and its parsed fields. */
export interface LogRecord {
  /** One line of JSON, without the newline. */
  json: string;
  fields: JsonObject;
}

/** Which of a child's output streams a line came from. */
export type OutputStream = "stdout" | "stderr";

/**
 * Turns one line a process printed into a record tagged with the process's name. Pino JSON
 * lines are kept as they are; anything else (stderr, a crash trace, a stray print) is wrapped,
 * so that nothing a child prints is lost and every record in the file is JSON.
 */
export function toLogRecord(
  name: string,
  pid: number | undefined,
  line: string,
  stream: OutputStream,
): LogRecord {
  if (stream === "stdout" && line.startsWith("{")) {
    const parsed = tryParse(line);
    if (parsed !== undefined && typeof parsed.level === "string") {
      if (parsed.name === name) return { json: line, fields: parsed };
      const fields: JsonObject = { ...parsed, name };
      return { json: JSON.stringify(fields), fields };
    }
  }
  const fields: JsonObject = {
    level: stream === "stderr" ? "warn" : "info",
    time: new Date().toISOString(),
    name,
    ...(pid !== undefined ? { pid } : {}),
    stream,
    msg: line,
  };
  return { json: JSON.stringify(fields), fields };
}

/** A record from a line that is already this process's own pino JSON. */
export function ownLogRecord(line: string, name: string): LogRecord {
  return toLogRecord(name, process.pid, line, "stdout");
}

function tryParse(line: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
