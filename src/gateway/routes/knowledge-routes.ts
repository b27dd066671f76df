import type { GatewayApp, RouteContext } from "../gateway-app.js";
import { ERROR_RESPONSES } from "../schemas/error-schemas.js";
import {
  KnowledgeEntryJsonSchema,
  KnowledgeSearchJsonSchema,
  KnowledgeVersionsJsonSchema,
  PublishKnowledgeBodySchema,
  SearchKnowledgeQuerySchema,
  UpdateKnowledgeBodySchema,
} from "../schemas/knowledge-schemas.js";
import { ref } from "../schemas/schema-helpers.js";
import { IdParamsSchema } from "../schemas/task-schemas.js";
import {
  knowledgeToJson,
  publishFromJson,
  searchFromQuery,
  searchResultsToJson,
  updateFromJson,
} from "../serializers/knowledge-json.js";

const TAGS = ["knowledge"];

/** The shared knowledge base: publish, update (versions kept), read, list versions, search. */
export function registerKnowledgeRoutes(app: GatewayApp, { upstreams }: RouteContext): void {
  app.post(
    "/api/v1/knowledge",
    {
      schema: {
        tags: TAGS,
        summary: "Publish a knowledge entry",
        description:
          "Version 1 of a new entry, global or about an existing project or task (`scope`, `scope_id`).",
        body: PublishKnowledgeBodySchema,
        response: { 201: ref(KnowledgeEntryJsonSchema), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const response = await upstreams.knowledge.publish(publishFromJson(request.body, "body"));
      return reply.code(201).send(knowledgeToJson(response.entry));
    },
  );

  app.get(
    "/api/v1/knowledge",
    {
      schema: {
        tags: TAGS,
        summary: "Search knowledge",
        description:
          "Full-text search ranked by relevance (title above tags above content), with filters by tags " +
          "(all must match) and scope. `q` is plain words: nothing in it is query syntax.",
        querystring: SearchKnowledgeQuerySchema,
        response: { 200: KnowledgeSearchJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const response = await upstreams.knowledge.search(searchFromQuery(request.query, "query"));
      return searchResultsToJson(response.results);
    },
  );

  app.get(
    "/api/v1/knowledge/:id",
    {
      schema: {
        tags: TAGS,
        summary: "A knowledge entry at its current version",
        params: IdParamsSchema,
        response: { 200: ref(KnowledgeEntryJsonSchema), ...ERROR_RESPONSES },
      },
    },
    async (request) =>
      knowledgeToJson((await upstreams.knowledge.get({ id: request.params.id })).entry),
  );

  app.put(
    "/api/v1/knowledge/:id",
    {
      schema: {
        tags: TAGS,
        summary: "Write a new version of a knowledge entry",
        description:
          "Title, content and tags replace the current ones (absent tags mean none); the scope stays. " +
          "With `expected_version`, an entry that has moved on is refused with 409 naming its current version.",
        params: IdParamsSchema,
        body: UpdateKnowledgeBodySchema,
        response: { 200: ref(KnowledgeEntryJsonSchema), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const response = await upstreams.knowledge.update(
        updateFromJson(request.params.id, request.body, "body"),
      );
      return knowledgeToJson(response.entry);
    },
  );

  app.get(
    "/api/v1/knowledge/:id/versions",
    {
      schema: {
        tags: TAGS,
        summary: "Every version of a knowledge entry",
        params: IdParamsSchema,
        response: { 200: KnowledgeVersionsJsonSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const response = await upstreams.knowledge.listVersions({ id: request.params.id });
      return { versions: response.versions.map(knowledgeToJson) };
    },
  );
}
