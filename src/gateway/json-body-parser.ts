import type { GatewayApp } from "./gateway-app.js";

/**
 * Accepts only JSON bodies (so text/plain and the rest get 415) and lets an empty JSON body
 * mean "no body": `curl -X POST -H 'Content-Type: application/json'` on a route whose body is
 * optional must not fail. Parsing itself is Fastify's (it refuses `__proto__` poisoning).
 */
export function useJsonBodiesOnly(app: GatewayApp): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.length === 0) {
      done(null, undefined);
      return;
    }
    // Fastify's parser is synchronous and reports through `done`.
    void parseJson(request, text, done);
  });
}
