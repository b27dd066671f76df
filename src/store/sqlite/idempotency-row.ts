import type { IdempotencyRecord } from "../store.js";

/** A row of `idempotency`; keys are the column names. */
export interface IdempotencyRow {
  scope: string;
  key: string;
  fingerprint: string;
  response: string;
  created_at: number;
}

export function idempotencyToRow(record: IdempotencyRecord): IdempotencyRow {
  return {
    scope: record.scope,
    key: record.key,
    fingerprint: record.fingerprint,
    response: record.response,
    created_at: record.createdAt,
  };
}

export function idempotencyFromRow(row: IdempotencyRow): IdempotencyRecord {
  return {
    scope: row.scope,
    key: row.key,
    fingerprint: row.fingerprint,
    response: row.response,
    createdAt: row.created_at,
  };
}
