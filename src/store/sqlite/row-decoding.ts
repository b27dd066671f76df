import { AppError } from "../../domain/index.js";

/**
 * Parses a JSON text column. The store wrote it with JSON.stringify, so a failure means the
 * file was changed behind our back; the error names the row and column.
 */
export function parseJsonColumn<T>(text: string, table: string, column: string, id: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw corruptRow(table, column, id, "is not valid JSON", error);
  }
}

/** Like {@link parseJsonColumn}, with SQL NULL read as null. */
export function parseNullableJsonColumn<T>(
  text: string | null,
  table: string,
  column: string,
  id: string,
): T | null {
  return text === null ? null : parseJsonColumn<T>(text, table, column, id);
}

/** Checks that a text column holds one of the values of a closed set. */
export function decodeEnumColumn<T extends string>(
  value: string,
  guard: (value: unknown) => value is T,
  table: string,
  column: string,
  id: string,
): T {
  if (guard(value)) return value;
  throw corruptRow(table, column, id, `holds unknown value ${JSON.stringify(value)}`);
}

function corruptRow(
  table: string,
  column: string,
  id: string,
  problem: string,
  cause?: unknown,
): AppError {
  return new AppError(
    "internal",
    `${table}.${column} of ${JSON.stringify(id)} ${problem}; the database was modified outside the store`,
    { table, column, id },
    { cause },
  );
}
