import { AppError, type KnowledgeVersionRecord } from "../../domain/index.js";
import { knowledgeToRow, knowledgeVersionToRow } from "./knowledge-row.js";
import type { SqliteStatements } from "./sqlite-statements.js";

/**
 * Writes one new version inside the commit's transaction: checks that it follows the stored
 * version, keeps it in the history and makes it current (the schema's triggers refresh the
 * full-text index and the tag table). Throws, rolling the commit back, when it does not follow.
 */
export function applyKnowledgeVersion(s: SqliteStatements, record: KnowledgeVersionRecord): void {
  const stored = s.knowledgeVersion.get(record.id) ?? 0;
  if (record.version !== stored + 1) {
    const what = stored === 0 ? "does not exist" : `is at version ${stored}`;
    throw new AppError(
      "failed_precondition",
      `knowledge entry ${record.id} ${what}; version ${record.version} cannot follow`,
      { knowledge_id: record.id, version: record.version, stored_version: stored },
    );
  }
  const row = knowledgeToRow(record);
  if (stored === 0) s.insertKnowledge.run(row);
  else s.updateKnowledge.run(row);
  s.insertKnowledgeVersion.run(knowledgeVersionToRow(record));
}
