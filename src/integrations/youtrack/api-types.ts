/** Shapes of the YouTrack REST API's entities, as far as this plugin asks for them. */

export interface ApiProject {
  id: string;
  name?: string;
  shortName?: string;
  archived?: boolean;
}

/**
 * A custom field's value: an entity (enum or state element: `name`; user: `login` and `name`),
 * a list of them for multi-value fields, a plain value (dates, numbers, strings), or null.
 */
export type ApiFieldValue =
  | { name?: string | null; login?: string | null; text?: string | null }
  | ApiFieldValue[]
  | string
  | number
  | boolean
  | null;

export interface ApiCustomField {
  name: string;
  value?: ApiFieldValue;
}

export interface ApiIssue {
  id: string;
  idReadable?: string;
  summary?: string | null;
  description?: string | null;
  /** When it was resolved (ms since epoch), null while unresolved. */
  resolved?: number | null;
  customFields?: ApiCustomField[];
}

export interface ApiComment {
  id: string;
  text?: string | null;
  created?: number;
}

export interface ApiUser {
  id: string;
  login?: string;
  name?: string;
}

/** Attributes asked of an issue to show it after a change. */
export const ISSUE_FIELDS =
  "id,idReadable,summary,description,resolved,customFields(name,value(name,login))";
