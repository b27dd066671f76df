import { AppError } from "../domain/index.js";
import { configOptionForField } from "./config-flags.js";

/** Exit code of `mcp-dist` for a failure (a component that cannot start, nothing running). */
export const EXIT_FAILURE = 1;
/** Exit code of `mcp-dist` for a usage or configuration error. */
export const EXIT_USAGE = 2;

/** One line for the user, and the exit code it deserves. */
export interface CliFailure {
  line: string;
  exitCode: number;
}

/**
 * Turns an error into one line without a stack trace. A bad argument is a usage error (2)
 * and its line names the option's flag and environment variable.
 */
export function describeFailure(error: unknown): CliFailure {
  const appError = AppError.from(error);
  if (appError.code !== "invalid_argument")
    return { line: `mcp-dist: ${appError.message}`, exitCode: EXIT_FAILURE };
  let message = appError.message;
  const option = configOptionForField(appError.details.field);
  if (option) {
    const missing = [`--${option.flag}`, option.env].filter((name) => !message.includes(name));
    if (missing.length > 0) message += ` (${missing.join(", ")})`;
  }
  return { line: `mcp-dist: invalid configuration: ${message}`, exitCode: EXIT_USAGE };
}

/** Prints the failure's line on stderr and sets the exit code (the process ends on its own). */
export function reportFailure(error: unknown): CliFailure {
  const failure = describeFailure(error);
  process.stderr.write(`${failure.line}\n`);
  process.exitCode = failure.exitCode;
  return failure;
}
