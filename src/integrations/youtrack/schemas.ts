import { Type } from "@sinclair/typebox";

/** An issue named by its readable id (DEMO-12) or its database id (2-17). */
export const IssueId = Type.String({
  pattern: "^[A-Za-z0-9][A-Za-z0-9_-]*-[0-9]+$",
  maxLength: 100,
  description: 'The issue: its readable id such as "DEMO-12", or its database id such as "2-17".',
});

/** Custom field values to set, by field name. */
export const FieldValues = Type.Record(
  Type.String(),
  Type.String({ minLength: 1, maxLength: 200 }),
  {
    description:
      'Custom fields to set: field name -> value name, e.g. {"Priority": "Critical", "Assignee": "jane"} (a user is named by login). Applied as a YouTrack command.',
    maxProperties: 50,
  },
);

export const Summary = Type.String({
  minLength: 1,
  maxLength: 2_000,
  description: "The issue's one-line summary.",
});

export const Description = Type.String({
  maxLength: 100_000,
  description: "The issue's description (Markdown).",
});
