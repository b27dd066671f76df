import { join } from "node:path";
import type { Command } from "commander";
import type { Config } from "../config/index.js";
import { AppError } from "../domain/index.js";
import { createLogger } from "../observability/index.js";
import { LogSink, Orchestrator, SYSTEM_LOG_FILE } from "../orchestrator/index.js";
import { EXIT_FAILURE, reportFailure } from "./cli-failure.js";
import { addConfigFlags } from "./config-flags.js";
import { loadCliConfig } from "./load-cli-config.js";

/** `mcp-dist start`: the whole system under the orchestrator, in the foreground. */
export function addStartCommand(program: Command): void {
  const start = program
    .command("start")
    .description(
      "Start the whole system (coordinator, integration service, agents, gateway) in the foreground.",
    );
  addConfigFlags(start).action((_options, command: Command) => startSystem(command));
}

async function startSystem(command: Command): Promise<void> {
  let config: Config;
  try {
    config = loadCliConfig(command);
  } catch (error) {
    reportFailure(error);
    return;
  }
  const sink = new LogSink({ file: join(config.logDir, SYSTEM_LOG_FILE) });
  try {
    await sink.start();
  } catch (error) {
    reportFailure(
      new AppError(
        "unavailable",
        `cannot open the system log in ${config.logDir}: ${AppError.from(error).message}`,
      ),
    );
    return;
  }
  const logger = createLogger({
    process: "orchestrator",
    level: config.logLevel,
    destination: sink.ownStream("orchestrator"),
  });
  const orchestrator = new Orchestrator(config, logger, { logSink: sink });

  let forced = false;
  let exiting: Promise<void> | undefined;
  const stopAndExit = (): Promise<void> =>
    (exiting ??= (async () => {
      await orchestrator.close();
      await sink.close();
      process.exit(forced ? EXIT_FAILURE : 0);
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    if (exiting === undefined) {
      logger.info(`received ${signal}; stopping the system gracefully (send it again to force)`);
    } else if (!forced) {
      forced = true;
      logger.warn(`received ${signal} again; forcing the stop`);
      void orchestrator.forceClose();
    }
    void stopAndExit();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("SIGHUP", onSignal);
  const crash = (error: unknown) => {
    logger.fatal({ err: error }, `orchestrator crashed: ${AppError.from(error).message}`);
    forced = true;
    void orchestrator.forceClose();
    void stopAndExit();
  };
  process.on("uncaughtException", crash);
  process.on("unhandledRejection", crash);

  try {
    await orchestrator.start();
  } catch (error) {
    logger.fatal({ err: error }, `cannot start the system: ${AppError.from(error).message}`);
    forced = true;
    await orchestrator.forceClose();
    await sink.close();
    process.exit(EXIT_FAILURE);
  }
}
