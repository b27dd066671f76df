import { type Command, Option } from "commander";
import { type ConfigOption, CONFIG_OPTIONS, META_OPTIONS } from "../config/index.js";

/** `--agents` is what people type; the generated name of that leaf is `--agents-enabled`. */
const AGENTS_ALIAS = { flag: "agents", target: "agents-enabled" } as const;

/** The options of every config-reading command: one per config leaf, plus --config and --port-offset. */
function configFlagOptions(): Option[] {
  const options = CONFIG_OPTIONS.map(
    (o) => new Option(`--${o.flag} <${placeholder(o)}>`, describe(o)),
  );
  options.push(new Option(`--${AGENTS_ALIAS.flag} <types>`, `Same as --${AGENTS_ALIAS.target}.`));
  options.push(
    new Option(
      `--${META_OPTIONS.config.flag} <file>`,
      `${META_OPTIONS.config.description} [env ${META_OPTIONS.config.env}]`,
    ),
  );
  options.push(
    new Option(
      `--${META_OPTIONS.portOffset.flag} <n>`,
      `${META_OPTIONS.portOffset.description} [env ${META_OPTIONS.portOffset.env}]`,
    ),
  );
  return options;
}

/** Adds every configuration flag to `command`. Values stay strings: loadConfig parses them. */
export function addConfigFlags(command: Command): Command {
  for (const option of configFlagOptions()) command.addOption(option);
  return command;
}

/** The configuration flags given on the command line, by flag name, as loadConfig takes them. */
export function givenConfigFlags(command: Command): Record<string, string> {
  const values = command.opts<Record<string, unknown>>();
  const flags: Record<string, string> = {};
  for (const option of configFlagOptions()) {
    const value = values[option.attributeName()];
    if (typeof value === "string") flags[option.long?.replace(/^--/, "") ?? ""] = value;
  }
  const alias = flags[AGENTS_ALIAS.flag];
  if (alias !== undefined) {
    flags[AGENTS_ALIAS.target] ??= alias;
    delete flags[AGENTS_ALIAS.flag];
  }
  return flags;
}

/** The flag and environment variable of the option a config error is about (its `field`). */
export function configOptionForField(field: unknown): { flag: string; env: string } | undefined {
  if (typeof field !== "string") return undefined;
  if (field === "config") return META_OPTIONS.config;
  if (field === "portOffset") return META_OPTIONS.portOffset;
  return CONFIG_OPTIONS.find((o) => o.path === field);
}

function placeholder(option: ConfigOption): string {
  const kind: unknown = option.schema.type;
  if (kind === "integer" || kind === "number") return "n";
  if (kind === "array") return "list";
  return "value";
}

function describe(option: ConfigOption): string {
  const choices = choicesOf(option);
  const defaultValue: unknown = option.schema.default;
  const parts = [option.description];
  if (choices)
    parts.push(
      option.schema.type === "array"
        ? `Comma-separated, each one of: ${choices.join(", ")}.`
        : `One of: ${choices.join(", ")}.`,
    );
  const facts = [`env ${option.env}`];
  if (defaultValue !== undefined) facts.push(`default ${JSON.stringify(defaultValue)}`);
  return `${parts.join(" ")} [${facts.join(", ")}]`;
}

function choicesOf(option: ConfigOption): string[] | undefined {
  const union = (option.schema.anyOf ??
    (option.schema.items as { anyOf?: unknown } | undefined)?.anyOf) as
    { const?: unknown }[] | undefined;
  if (!Array.isArray(union)) return undefined;
  return union.map((s) => String(s.const));
}
