import type { JsonObject, JsonValue } from "../domain/index.js";

/** Fields shown in the line's fixed columns (or not at all) rather than as key=value. */
const FIXED = new Set(["level", "time", "name", "msg", "pid", "hostname", "v", "err"]);

const LEVEL_COLORS: Readonly<Record<string, string>> = {
  trace: "\x1b[90m",
  debug: "\x1b[36m",
  info: "\x1b[32m",
  warn: "\x1b[33m",
  error: "\x1b[31m",
  fatal: "\x1b[35m",
};
const NUMERIC_LEVELS: Readonly<Record<number, string>> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};
const RESET = "\x1b[0m";
const DIM = "\x1b[2m";

/** Width of the process-name column; longer names push the message right. */
const NAME_WIDTH = 17;

/**
 * A log record as one human-readable line for a terminal: time, level, process name,
 * message, then the other fields as key=value (an error's stack on the lines below).
 */
export function formatLogLine(fields: JsonObject, color: boolean): string {
  const level = levelLabel(fields.level);
  const paint = (code: string | undefined, text: string) =>
    color && code ? `${code}${text}${RESET}` : text;
  const time = paint(DIM, formatTime(fields.time));
  const levelText = paint(LEVEL_COLORS[level], level.toUpperCase().padEnd(5));
  const name = typeof fields.name === "string" ? fields.name : "?";
  const msg = typeof fields.msg === "string" ? fields.msg : "";
  const extras = Object.entries(fields)
    .filter(([key]) => !FIXED.has(key))
    .map(([key, value]) => `${paint(DIM, `${key}=`)}${formatValue(value)}`);
  let line = `${time} ${levelText} ${name.padEnd(NAME_WIDTH)} ${msg}`;
  if (extras.length > 0) line += ` ${extras.join(" ")}`;
  const err = fields.err;
  if (err !== undefined && err !== null && typeof err === "object" && !Array.isArray(err)) {
    const stack =
      typeof err.stack === "string"
        ? err.stack
        : typeof err.message === "string"
          ? err.message
          : JSON.stringify(err);
    line += `\n${stack.replace(/^/gm, "    ")}`;
  } else if (err !== undefined) {
    line += ` err=${formatValue(err)}`;
  }
  return line;
}

function levelLabel(level: JsonValue | undefined): string {
  if (typeof level === "string") return level;
  if (typeof level === "number") return NUMERIC_LEVELS[level] ?? String(level);
  return "info";
}

function formatTime(time: JsonValue | undefined): string {
  const date =
    typeof time === "string" || typeof time === "number" ? new Date(time) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) return "--:--:--.---";
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

function formatValue(value: JsonValue): string {
  if (typeof value === "string") return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}
