import { AppError } from "./app-error.js";
import { checkMaxEntries, checkMaxLength, fieldPath, requireText } from "./field-checks.js";
import type { KnowledgeScope } from "./knowledge.js";

/** Limits on what one knowledge entry may carry. */
export const KNOWLEDGE_LIMITS = {
  titleLength: 200,
  contentLength: 65_536,
  tags: 20,
  tagLength: 50,
  authorLength: 100,
  idLength: 200,
} as const;

/** A tag after folding to lower case: letters, digits and . _ : - only. */
const TAG_PATTERN = /^[a-z0-9._:-]+$/;

/** What every version of an entry is written with: the editable part. */
export interface KnowledgeDraft {
  title: string;
  content: string;
  tags: string[];
  author: string;
}

/** A new entry as a client publishes it. */
export interface KnowledgePublishSpec extends KnowledgeDraft {
  scope: KnowledgeScope;
  /** The project or task id; null for the global scope. */
  scopeId: string | null;
}

/** A new version of an existing entry. */
export interface KnowledgeUpdateSpec extends KnowledgeDraft {
  id: string;
  /** The version the change was made against; null skips the check. */
  expectedVersion: number | null;
}

/**
 * Checks the rules of the editable part and normalises it: the title and author are trimmed,
 * tags folded to lower case, de-duplicated and sorted. Content is kept as written (its
 * whitespace may matter) but must not be blank. `field` prefixes field names in errors.
 */
export function validateKnowledgeDraft<D extends KnowledgeDraft>(draft: D, field = ""): D {
  const at = (name: string) => fieldPath(field, name);
  const title = requireText(draft.title, at("title"), KNOWLEDGE_LIMITS.titleLength);
  if (draft.content.trim().length === 0) {
    throw AppError.invalidArgument(at("content"), `${at("content")} must not be empty`);
  }
  checkMaxLength(draft.content, at("content"), KNOWLEDGE_LIMITS.contentLength);
  const author = requireText(draft.author, at("author"), KNOWLEDGE_LIMITS.authorLength);
  return { ...draft, title, author, tags: normalizeKnowledgeTags(draft.tags, at("tags")) };
}

/**
 * Tags compared in one spelling: trimmed, lower case, de-duplicated, sorted. Each must be 1 to
 * 50 characters of a-z 0-9 . _ : - after folding; at most 20. The error names the bad tag's
 * position, e.g. "tags[2]".
 */
export function normalizeKnowledgeTags(tags: readonly string[], field = "tags"): string[] {
  checkMaxEntries(tags.length, field, KNOWLEDGE_LIMITS.tags);
  const normalised = tags.map((raw, i) => {
    const tag = raw.trim().toLowerCase();
    if (tag.length === 0 || tag.length > KNOWLEDGE_LIMITS.tagLength || !TAG_PATTERN.test(tag)) {
      throw AppError.invalidArgument(
        `${field}[${i}]`,
        `${field}[${i}] must be 1 to ${KNOWLEDGE_LIMITS.tagLength} characters of a-z, 0-9, ".", "_", ":" or "-", not ${JSON.stringify(raw)}`,
      );
    }
    return tag;
  });
  return [...new Set(normalised)].sort();
}

/**
 * The shape rules of a scope: the global scope has no id; the project and task scopes name
 * one. Whether that project or task exists is the coordinator's to check. Returns the id
 * (trimmed), or null for the global scope.
 */
export function validateKnowledgeScope(
  scope: KnowledgeScope,
  scopeId: string | null,
  field = "",
): string | null {
  const at = fieldPath(field, "scope_id");
  const id = scopeId?.trim() ?? "";
  if (scope === "global") {
    if (id !== "") {
      throw AppError.invalidArgument(at, `${at} must be empty for the global scope`);
    }
    return null;
  }
  if (id === "") {
    throw AppError.invalidArgument(at, `${at} is required for the ${scope} scope: the ${scope} id`);
  }
  checkMaxLength(id, at, KNOWLEDGE_LIMITS.idLength);
  return id;
}

/** Checks and normalises a new entry. */
export function validateKnowledgePublish(
  spec: KnowledgePublishSpec,
  field = "",
): KnowledgePublishSpec {
  const draft = validateKnowledgeDraft(spec, field);
  return { ...draft, scopeId: validateKnowledgeScope(spec.scope, spec.scopeId, field) };
}

/** Checks and normalises a new version. */
export function validateKnowledgeUpdate(
  spec: KnowledgeUpdateSpec,
  field = "",
): KnowledgeUpdateSpec {
  const id = requireText(spec.id, fieldPath(field, "id"), KNOWLEDGE_LIMITS.idLength);
  const expected = spec.expectedVersion;
  if (expected !== null && (!Number.isInteger(expected) || expected < 1)) {
    const at = fieldPath(field, "expected_version");
    throw AppError.invalidArgument(at, `${at} must be a version number (1 or more)`);
  }
  return { ...validateKnowledgeDraft(spec, field), id };
}
