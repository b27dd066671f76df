import { AppError } from "./app-error.js";

/** `prefix.name`, or `name` when there is no prefix: how errors name a field. */
export function fieldPath(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

/** Trims `value` and requires 1 to `max` characters; returns the trimmed text. */
export function requireText(value: string, field: string, max: number): string {
  const text = value.trim();
  if (text.length === 0) throw AppError.invalidArgument(field, `${field} must not be empty`);
  checkMaxLength(text, field, max);
  return text;
}

/** At most `max` characters. */
export function checkMaxLength(value: string, field: string, max: number): void {
  if (value.length > max) {
    throw AppError.invalidArgument(field, `${field} must be at most ${max} characters`);
  }
}

/** At most `max` entries. */
export function checkMaxEntries(count: number, field: string, max: number): void {
  if (count > max)
    throw AppError.invalidArgument(field, `${field} must have at most ${max} entries`);
}
