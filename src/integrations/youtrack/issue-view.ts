import type { JsonObject, JsonValue } from "../../domain/index.js";
import type { ApiFieldValue, ApiIssue } from "./api-types.js";
import type { YouTrackClient } from "./client.js";

/** A custom field's value as plain JSON: a user's login, an element's name, a list of those. */
export function fieldValue(value: ApiFieldValue | undefined): JsonValue {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(fieldValue);
  if (typeof value !== "object") return value;
  return value.login ?? value.name ?? value.text ?? null;
}

/** Custom fields by name. */
export function customFields(issue: ApiIssue): JsonObject {
  const fields: JsonObject = {};
  for (const field of issue.customFields ?? []) fields[field.name] = fieldValue(field.value);
  return fields;
}

/** The value of the State field, when the project has one. */
export function stateOf(issue: ApiIssue): JsonValue {
  const state = issue.customFields?.find((field) => field.name === "State");
  return state === undefined ? null : fieldValue(state.value);
}

/** An issue as operations answer it. */
export function issueView(client: YouTrackClient, issue: ApiIssue): JsonObject {
  const idReadable = issue.idReadable ?? issue.id;
  const view: JsonObject = {
    id: issue.id,
    id_readable: idReadable,
    summary: issue.summary ?? "",
    url: client.issueUrl(idReadable),
  };
  if (issue.description !== undefined) view.description = issue.description;
  if (issue.customFields !== undefined) {
    view.state = stateOf(issue);
    view.resolved = issue.resolved !== undefined && issue.resolved !== null;
    view.fields = customFields(issue);
  }
  return view;
}
