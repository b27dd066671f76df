import type { TaskQuery } from "../store.js";

/** The WHERE clause (possibly empty) for a task query's filters, and its parameters. */
export interface TaskFilterSql {
  where: string;
  params: string[];
}

/**
 * Turns the filters of a query into SQL with placeholders. Values are always bound, never
 * spliced; only the shape of the clause varies, so the statement cache stays small.
 */
export function taskFilterSql(query: Omit<TaskQuery, "limit" | "afterSeq">): TaskFilterSql {
  const conditions: string[] = [];
  const params: string[] = [];
  const statuses = [...new Set(query.statuses ?? [])];
  if (statuses.length > 0) {
    conditions.push(`status IN (${statuses.map(() => "?").join(", ")})`);
    params.push(...statuses);
  }
  if (query.type !== undefined) {
    conditions.push("type = ?");
    params.push(query.type);
  }
  if (query.agentId !== undefined) {
    conditions.push("agent_id = ?");
    params.push(query.agentId);
  }
  if (query.projectId !== undefined) {
    conditions.push("project_id = ?");
    params.push(query.projectId);
  }
  return { where: conditions.join(" AND "), params };
}
