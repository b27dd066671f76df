import type { Command } from "commander";
import { type Config, loadConfig } from "../config/index.js";
import { AppError } from "../domain/index.js";
import { CHILD_CONFIG_ENV as CONFIG_JSON_ENV } from "../orchestrator/index.js";
import { givenConfigFlags } from "./config-flags.js";

/**
 * The configuration of a command: its flags over the environment over the config file over
 * defaults. With `inherit`, a config passed down in MCP_DIST_CONFIG_JSON replaces the file.
 */
export function loadCliConfig(command: Command, options: { inherit?: boolean } = {}): Config {
  let base: unknown;
  const passed = options.inherit ? process.env[CONFIG_JSON_ENV] : undefined;
  if (passed !== undefined) {
    try {
      base = JSON.parse(passed);
    } catch (error) {
      throw AppError.invalidArgument(
        CONFIG_JSON_ENV,
        `${CONFIG_JSON_ENV} is not valid JSON: ${(error as Error).message}`,
      );
    }
  }
  return loadConfig({ flags: givenConfigFlags(command), env: process.env, base });
}
