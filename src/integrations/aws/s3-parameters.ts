import { Type } from "@sinclair/typebox";

/** A bucket name (S3's rules, with the legacy upper case and underscores some buckets have). */
export const BUCKET = Type.String({
  pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$",
  description: 'The bucket, e.g. "my-reports".',
});

/** An object key. */
export const KEY = Type.String({
  minLength: 1,
  maxLength: 1024,
  description: 'The object key, e.g. "reports/2024/summary.txt".',
});
