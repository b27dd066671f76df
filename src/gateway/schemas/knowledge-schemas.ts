import { type Static, Type } from "@sinclair/typebox";
import { KNOWLEDGE_LIMITS, KNOWLEDGE_SEARCH_LIMITS } from "../../domain/index.js";
import { KnowledgeScopeSchema } from "./enum-schemas.js";
import { IsoTime, nullable, ref } from "./schema-helpers.js";

/** A tag as a client may send it; it is folded to lower case. */
const TagSchema = Type.String({
  minLength: 1,
  maxLength: KNOWLEDGE_LIMITS.tagLength,
  pattern: "^[A-Za-z0-9._:-]+$",
});

const draftProperties = {
  title: Type.String({ minLength: 1, maxLength: KNOWLEDGE_LIMITS.titleLength }),
  content: Type.String({
    minLength: 1,
    maxLength: KNOWLEDGE_LIMITS.contentLength,
    description: "The knowledge itself, as plain text or Markdown.",
  }),
  tags: Type.Optional(
    Type.Array(TagSchema, {
      maxItems: KNOWLEDGE_LIMITS.tags,
      description: "Letters, digits and . _ : - only; folded to lower case, repeats dropped.",
    }),
  ),
  author: Type.String({
    minLength: 1,
    maxLength: KNOWLEDGE_LIMITS.authorLength,
    description: "Who writes this version: an agent id or a person.",
  }),
};

/** Body of POST /api/v1/knowledge. */
export const PublishKnowledgeBodySchema = Type.Object(
  {
    ...draftProperties,
    scope: Type.Optional(KnowledgeScopeSchema),
    scope_id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: KNOWLEDGE_LIMITS.idLength,
        description: "The project or task id: required with those scopes, absent for global.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type PublishKnowledgeBody = Static<typeof PublishKnowledgeBodySchema>;

/** Body of PUT /api/v1/knowledge/{id}: a whole new version. */
export const UpdateKnowledgeBodySchema = Type.Object(
  {
    ...draftProperties,
    expected_version: Type.Optional(
      Type.Integer({
        minimum: 1,
        description:
          "The version this change was made against; if the entry has moved on, the update is refused (409).",
      }),
    ),
  },
  { additionalProperties: false },
);
export type UpdateKnowledgeBody = Static<typeof UpdateKnowledgeBodySchema>;

export const SearchKnowledgeQuerySchema = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: KNOWLEDGE_SEARCH_LIMITS.queryLength,
        description:
          "Plain words, all required (the last also as a prefix); no query syntax. Required unless tags are given.",
      }),
    ),
    tags: Type.Optional(
      Type.String({
        maxLength: 2_000,
        description: "Comma-separated tags the entries must all carry.",
      }),
    ),
    scope: Type.Optional(KnowledgeScopeSchema),
    scope_id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: KNOWLEDGE_LIMITS.idLength,
        description: "With scope project or task.",
      }),
    ),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: KNOWLEDGE_SEARCH_LIMITS.maxLimit,
        default: KNOWLEDGE_SEARCH_LIMITS.defaultLimit,
      }),
    ),
  },
  { additionalProperties: false },
);
export type SearchKnowledgeQuery = Static<typeof SearchKnowledgeQuerySchema>;

/** A knowledge entry as the API reports it, at its current or a past version. */
export const KnowledgeEntryJsonSchema = Type.Object(
  {
    id: Type.String(),
    version: Type.Integer({ minimum: 1, description: "1 when published; +1 per update." }),
    title: Type.String(),
    content: Type.String(),
    tags: Type.Array(Type.String(), { description: "Lower case, sorted." }),
    scope: KnowledgeScopeSchema,
    scope_id: nullable(Type.String(), { description: "Null for the global scope." }),
    author: Type.String({ description: "Who wrote this version." }),
    created_at: IsoTime("When the entry was first published."),
    updated_at: IsoTime("When this version was written."),
  },
  { $id: "KnowledgeEntry", additionalProperties: false, description: "A knowledge entry." },
);
export type KnowledgeEntryJson = Static<typeof KnowledgeEntryJsonSchema>;

export const KnowledgeVersionsJsonSchema = Type.Object(
  {
    versions: Type.Array(ref(KnowledgeEntryJsonSchema), { description: "Oldest first." }),
  },
  { additionalProperties: false },
);

export const KnowledgeSearchJsonSchema = Type.Object(
  {
    results: Type.Array(
      Type.Object(
        {
          entry: ref(KnowledgeEntryJsonSchema),
          score: Type.Number({
            description:
              "Relevance, higher is better; comparable only within one answer. 0 without q.",
          }),
          snippet: Type.String({
            description: "A short plain-text excerpt of the content, around the match.",
          }),
        },
        { additionalProperties: false },
      ),
      { description: "Best first; without q, most recently updated first." },
    ),
  },
  { additionalProperties: false },
);
export type KnowledgeSearchJson = Static<typeof KnowledgeSearchJsonSchema>;
