import { AppError } from "../../domain/index.js";
import type { IntegrationPlugin } from "../integration.js";

const NAME = /^[a-z][a-z0-9_-]*$/;
const OPERATION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$/;
const ENV = /^[A-Z][A-Z0-9_]*$/;

/**
 * Checks that `value` (a module's default export) has the shape of a plugin, so a user's
 * plugin with a mistake is refused at start with a message naming the mistake, not at the
 * first call. `source` names where it came from.
 */
export function checkPlugin(value: unknown, source: string): IntegrationPlugin {
  const fail = (what: string) =>
    AppError.invalidArgument("integrations.plugins", `plugin ${source}: ${what}`);
  if (typeof value !== "object" || value === null)
    throw fail("its default export must be a plugin object");
  const plugin = value as Partial<IntegrationPlugin>;
  if (typeof plugin.name !== "string" || !NAME.test(plugin.name))
    throw fail("name must be lower case letters, digits, _ or -, starting with a letter");
  if (typeof plugin.description !== "string") throw fail("description must be a string");
  for (const fn of ["connect", "check"] as const) {
    if (typeof plugin[fn] !== "function") throw fail(`${fn} must be a function`);
  }
  if (typeof plugin.settings !== "object" || plugin.settings === null)
    throw fail("settings must be an object (it may be empty)");
  for (const [key, spec] of Object.entries(plugin.settings)) {
    if (typeof spec?.env !== "string" || !ENV.test(spec.env))
      throw fail(`setting ${key} must name its environment variable in upper case (env)`);
  }
  if (typeof plugin.operations !== "object" || plugin.operations === null)
    throw fail("operations must be an object of operations by name");
  for (const [name, op] of Object.entries(plugin.operations)) {
    if (!OPERATION.test(name) || name === "test")
      throw fail(
        `operation name ${JSON.stringify(name)} must be lower snake case, optionally service.operation, and not "test"`,
      );
    if (typeof op?.run !== "function") throw fail(`operation ${name} must have a run function`);
    if (op.parameters?.type !== "object")
      throw fail(`operation ${name} must have a JSON Schema object as parameters`);
    if (typeof op.sideEffect !== "boolean")
      throw fail(`operation ${name} must say whether it has a side effect (sideEffect)`);
  }
  return plugin as IntegrationPlugin;
}
