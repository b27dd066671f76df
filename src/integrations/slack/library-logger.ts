import { type Logger as SlackLogger, LogLevel } from "@slack/web-api";
import type { Logger } from "../../observability/index.js";

const MASK = "[redacted]";

/**
 * The Slack library's logger interface over ours. The library logs response bodies at debug
 * level and the remote's `[ERROR]` messages at error level; a body may echo the token, so every
 * line has it masked here before it reaches a log (the service's redaction covers only what
 * the service itself logs).
 */
export function libraryLogger(logger: Logger, token: string): SlackLogger {
  const spellings = [token, encodeURIComponent(token)].filter((s) => s.length > 0);
  const line = (parts: unknown[]): string => {
    let text = parts
      .map((part) => (typeof part === "string" ? part : JSON.stringify(part)))
      .join(" ");
    for (const secret of spellings) text = text.split(secret).join(MASK);
    return text;
  };
  let level = LogLevel.INFO;
  return {
    debug: (...parts: unknown[]) => logger.debug({ library: "slack" }, line(parts)),
    info: (...parts: unknown[]) => logger.info({ library: "slack" }, line(parts)),
    warn: (...parts: unknown[]) => logger.warn({ library: "slack" }, line(parts)),
    // Its errors are Slack's own messages about a refused call, which the service reports.
    error: (...parts: unknown[]) => logger.warn({ library: "slack" }, line(parts)),
    // Our logger decides what is written; the library only asks.
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
