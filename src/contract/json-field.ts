import { AppError, isJsonObject, type JsonObject, type JsonValue } from "../domain/index.js";

/** Parses a `*_json` field that must hold a JSON object; "" means {}. */
export function parseJsonObjectField(text: string, field: string): JsonObject {
  if (text === "") return {};
  const value = parseJsonField(text, field);
  if (!isJsonObject(value)) throw AppError.invalidArgument(field, `${field} must be a JSON object`);
  return value;
}

/** Parses a `*_json` field holding any JSON value; "" means null. */
export function parseJsonField(text: string, field: string): JsonValue {
  if (text === "") return null;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    throw AppError.invalidArgument(field, `${field} is not valid JSON`);
  }
}
