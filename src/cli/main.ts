#!/usr/bin/env node
import { Command, type CommanderError } from "commander";
import { readCliVersion } from "./cli-version.js";
import { EXIT_USAGE, reportFailure } from "./cli-failure.js";
import { addRunCommand } from "./run-command.js";
import { addStartCommand } from "./start-command.js";
import { addStatusCommand } from "./status-command.js";

const program = new Command("mcp-dist")
  .description(
    "Distributed multi-agent task platform: coordinator, agents, integration service and REST gateway.",
  )
  .version(readCliVersion())
  .showHelpAfterError("(see mcp-dist <command> --help)")
  // Usage errors exit 2, like configuration errors; asked-for help and --version exit 0.
  .exitOverride((error: CommanderError) => process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE));

addStartCommand(program);
addStatusCommand(program);
addRunCommand(program);

// Each command reports its own failures; this is the net under them, still without a stack.
await program.parseAsync(process.argv).catch(reportFailure);
