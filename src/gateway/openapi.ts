import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { GatewayApp } from "./gateway-app.js";

/**
 * The OpenAPI 3.1 document, generated from the same schemas that validate requests and
 * serialize responses, served at /openapi.json and browsable at /docs. Swagger UI's assets
 * come from the installed package (no CDN), under a self-only CSP.
 * Must be registered before the routes: the document is collected as routes are added.
 */
export async function registerOpenApi(app: GatewayApp, version: string): Promise<void> {
  await app.register(swagger, {
    // Shared schemas become components named by their $id ("Task", "Error"...).
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === "string" ? json.$id : `def-${i}`,
    },
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "mcp-distributed REST API",
        version,
        description:
          "Submit projects and tasks to the coordinator, follow them, work on them as an external worker, " +
          "message agents, share what was learned in the knowledge base, and act on outside systems " +
          "(Slack, GitHub, AWS, Jenkins, YouTrack, any HTTP API) through the integrations. " +
          "Every error answers `{ error: { code, message, details } }`.",
      },
      tags: [
        { name: "projects", description: "Bodies of work the coordinator breaks into tasks." },
        {
          name: "tasks",
          description: "Units of work with dependencies, priorities and a lifecycle.",
        },
        { name: "agents", description: "Who does the work." },
        {
          name: "knowledge",
          description: "The shared knowledge base: versioned entries with ranked full-text search.",
        },
        {
          name: "workers",
          description: "External workers: claim, report and finish tasks over REST.",
        },
        {
          name: "messages",
          description:
            "The message hub: messages, requests and responses, mailboxes, collaborations.",
        },
        { name: "integrations", description: "Outside systems agents act on." },
        { name: "system", description: "Health, status and metrics." },
        { name: "events", description: "Live events over a WebSocket." },
      ],
    },
  });
  await app.register(swaggerUi, {
    routePrefix: "/docs",
    staticCSP: true,
    uiConfig: { deepLinking: true },
  });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}
