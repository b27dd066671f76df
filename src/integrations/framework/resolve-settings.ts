import type { IntegrationPlugin, Settings } from "../integration.js";

/** A plugin's settings as found, with what is missing. */
export interface ResolvedSettings {
  settings: Settings;
  /** Environment variables of required settings without a value. */
  missing: string[];
  /** Values of settings marked secret (for redaction). */
  secrets: string[];
}

/**
 * Reads each setting from the config file's `integrations.settings.<plugin>` first, then the
 * environment, then its default. Empty strings count as unset.
 */
export function resolveSettings(
  plugin: IntegrationPlugin,
  fromConfig: Readonly<Record<string, string>> | undefined,
  env: Readonly<Record<string, string | undefined>>,
): ResolvedSettings {
  const settings: Record<string, string | undefined> = {};
  const missing: string[] = [];
  const secrets: string[] = [];
  for (const [key, spec] of Object.entries(plugin.settings)) {
    const value = nonEmpty(fromConfig?.[key]) ?? nonEmpty(env[spec.env]) ?? nonEmpty(spec.default);
    settings[key] = value;
    if (value === undefined && spec.required === true) missing.push(spec.env);
    if (value !== undefined && spec.secret === true) secrets.push(value);
  }
  return { settings, missing, secrets };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
