import { writeSync } from "node:fs";
import { pino } from "pino";
import type { Config } from "../config/index.js";
import { AppError } from "../domain/index.js";
import type { ChildMessage, RunningComponent } from "../lifecycle/index.js";
import { createLogger, type Logger } from "../observability/index.js";
import { describeFailure, EXIT_FAILURE, reportFailure } from "./cli-failure.js";

/** How long exiting waits for buffered log lines to be written. */
const FLUSH_TIMEOUT_MS = 1_000;

/** Starts one component with its config and logger. */
export type ComponentStarter = (config: Config, logger: Logger) => Promise<RunningComponent>;

/**
 * Runs one component in the foreground until SIGTERM/SIGINT (or, as an orchestrator's child,
 * until the orchestrator goes away): tells the parent over IPC when it is ready or failed,
 * closes gracefully on a signal and exits 0, exits 1 on a failed start or an uncaught error.
 */
export async function runComponent(
  processName: string,
  loadConfig: () => Config,
  start: ComponentStarter,
): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    const failure = reportFailure(error);
    await sendToParent({ type: "failed", message: failure.line });
    // An open IPC channel would keep this process alive.
    process.exit(failure.exitCode);
  }
  const destination = pino.destination({ fd: 1, sync: false });
  const logger = createLogger({ process: processName, level: config.logLevel, destination });

  let component: RunningComponent | undefined;
  let starting: Promise<RunningComponent> | undefined;
  let stopping = false;

  const exit = async (code: number): Promise<never> => {
    // Bounded: with our reader gone (the orchestrator was killed), stdout is a broken pipe
    // that pino's writer retries forever, and a flush would never finish.
    await Promise.race([
      new Promise<void>((resolve) => logger.flush(() => resolve())),
      new Promise<void>((resolve) => setTimeout(resolve, FLUSH_TIMEOUT_MS).unref()),
    ]);
    // pino flushes synchronously on exit, and its writer retries a broken pipe forever there
    // (EPIPE is not treated as fatal): drop what is left rather than hang as an orphan.
    if (stdoutIsBroken()) destination.destroy();
    process.exit(code);
  };
  const fail = async (message: string, error: unknown): Promise<never> => {
    logger.fatal({ err: error }, `${processName} ${message}: ${AppError.from(error).message}`);
    if (component !== undefined) return exit(EXIT_FAILURE);
    // A start refused for a bad option is a usage error, like a bad flag.
    await sendToParent({ type: "failed", message: AppError.from(error).message });
    return exit(describeFailure(error).exitCode);
  };
  const stop = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info(`${reason}; closing ${processName}`);
    try {
      // A signal during start: let start finish, then close what it opened.
      const running = component ?? (await starting?.catch(() => undefined));
      await running?.close();
    } catch (error) {
      logger.error(
        { err: error },
        `${processName} did not close cleanly: ${AppError.from(error).message}`,
      );
      await exit(EXIT_FAILURE);
    }
    logger.info(`${processName} closed; exiting`);
    await exit(0);
  };

  process.on("uncaughtException", (error) => void fail("crashed", error));
  process.on("unhandledRejection", (error) => void fail("crashed", error));
  const supervised = process.send !== undefined;
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    process.on(signal, () => {
      // Ctrl-C or a closed terminal signals the whole foreground process group. Under an
      // orchestrator, that is its cue to stop everyone in order (with SIGTERM), not ours.
      if (supervised && signal !== "SIGTERM") return;
      // A second signal while closing: stop waiting.
      if (stopping) void exit(EXIT_FAILURE);
      else void stop(`received ${signal}`);
    });
  }
  // Our orchestrator is gone (even killed with SIGKILL): do not linger as an orphan.
  process.on("disconnect", () => void stop("orchestrator went away"));

  try {
    starting = start(config, logger);
    component = await starting;
  } catch (error) {
    await fail("failed to start", error);
    return;
  }
  if (stopping) return;
  logger.info({ port: component.port }, `${processName} ready on port ${component.port}`);
  await sendToParent({ type: "ready", port: component.port });
}

/** Sends a message to the orchestrator, if this process has one; resolves once it is sent. */
function sendToParent(message: ChildMessage): Promise<void> {
  const send = process.send?.bind(process);
  if (!send || !process.connected) return Promise.resolve();
  return new Promise((resolve) => {
    send(message, undefined, {}, () => resolve());
  });
}

/** Whether our stdout's reader is gone (a zero-length write to a closed socket fails with EPIPE). */
function stdoutIsBroken(): boolean {
  try {
    writeSync(1, "");
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPIPE";
  }
}
