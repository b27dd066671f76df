import { AppError } from "../../domain/index.js";

/**
 * The YouTrack command setting each field to a value, e.g.
 * `State {In Progress} Priority Critical`. A value with spaces is braced, as YouTrack's command
 * grammar wants; a value holding a brace cannot be said in a command and is refused.
 * `parameter` names the parameter the values came from, for that error.
 */
export function setFieldsCommand(
  values: ReadonlyArray<[string, string]>,
  parameter: string,
): string {
  return values
    .map(([field, value]) => {
      if (/[{}]/.test(field) || /[{}]/.test(value)) {
        throw AppError.invalidArgument(
          `${parameter}.${field}`,
          `${parameter}.${field}: YouTrack commands cannot carry "{" or "}" in a field name or value`,
        );
      }
      const said = value.trim();
      return `${field.trim()} ${/\s/.test(said) ? `{${said}}` : said}`;
    })
    .join(" ");
}
