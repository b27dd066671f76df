import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { AppError } from "../../domain/index.js";
import type { IntegrationPlugin } from "../integration.js";
import { checkPlugin } from "./check-plugin.js";

/**
 * Imports users' plugin modules (paths relative to `cwd`); each module's default export (or
 * its export named `plugin`) must be a plugin. A path that cannot be loaded or does not hold a
 * plugin stops the start with a message naming it.
 */
export async function loadUserPlugins(
  paths: readonly string[],
  cwd: string,
): Promise<IntegrationPlugin[]> {
  const plugins: IntegrationPlugin[] = [];
  for (const path of paths) {
    const file = resolve(cwd, path);
    let module: { default?: unknown; plugin?: unknown };
    try {
      module = (await import(pathToFileURL(file).href)) as typeof module;
    } catch (error) {
      throw AppError.invalidArgument(
        "integrations.plugins",
        `plugin ${path} cannot be loaded: ${(error as Error).message}`,
      );
    }
    plugins.push(checkPlugin(module.default ?? module.plugin, path));
  }
  return plugins;
}
