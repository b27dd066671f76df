import { type DestinationStream, pino, type Logger } from "pino";

export type { Logger } from "pino";

export interface LoggerOptions {
  /** The process name every line is tagged with, e.g. "coordinator" or "agent-backend". */
  process: string;
  /** Default "info". */
  level?: string;
  /** Where lines go; default stdout. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

/**
 * A structured JSON logger. Every process logs JSON lines to stdout; the orchestrator tags,
 * formats and files them (see orchestrator/log-sink.ts).
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.process,
      level: options.level ?? "info",
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
