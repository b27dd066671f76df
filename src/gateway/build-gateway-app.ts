import websocket from "@fastify/websocket";
import Fastify from "fastify";
import type { Logger } from "../observability/index.js";
import { AppError } from "../domain/index.js";
import { logErrorReply, sendError, toErrorReply } from "./error-reply.js";
import type { GatewayApp, RouteContext } from "./gateway-app.js";
import { useJsonBodiesOnly } from "./json-body-parser.js";
import { registerOpenApi } from "./openapi.js";
import { RequestLogController } from "./request-log-controller.js";
import { SHARED_SCHEMAS } from "./schemas/shared-schemas.js";
import { MAX_PARAM_LENGTH } from "./schemas/task-schemas.js";
import { registerAgentRoutes } from "./routes/agent-routes.js";
import { registerEventRoutes } from "./routes/event-routes.js";
import { registerHealthRoutes } from "./routes/health-routes.js";
import { registerMessageRoutes } from "./routes/message-routes.js";
import { registerIntegrationRoutes } from "./routes/integration-routes.js";
import { registerKnowledgeRoutes } from "./routes/knowledge-routes.js";
import { registerKnowledgeSubscriptionRoutes } from "./routes/knowledge-subscription-routes.js";
import { registerMetricsRoutes } from "./routes/metrics-routes.js";
import { registerProjectRoutes } from "./routes/project-routes.js";
import { registerSystemRoutes } from "./routes/system-routes.js";
import { registerTaskRoutes } from "./routes/task-routes.js";
import { registerWorkerRoutes } from "./routes/worker-routes.js";
import type { TypeBoxProvider } from "./type-provider.js";
import { createValidatorCompiler } from "./validator-compiler.js";

export interface GatewayAppOptions extends RouteContext {
  logger: Logger;
  bodyLimitBytes: number;
}

/** The gateway's Fastify app with every route, not yet listening. */
export async function buildGatewayApp(options: GatewayAppOptions): Promise<GatewayApp> {
  const { logger, bodyLimitBytes, metrics } = options;
  const app: GatewayApp = Fastify({
    loggerInstance: logger,
    logController: new RequestLogController(),
    bodyLimit: bodyLimitBytes,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Errors raised before routing (bad URL encoding, overlong parameter) in our shape too.
    frameworkErrors: (error, request, reply) => {
      const { status, error: appError } = toErrorReply(error, request, bodyLimitBytes);
      logErrorReply(request, status, appError, error);
      void sendError(reply, status, appError);
    },
  }).withTypeProvider<TypeBoxProvider>();

  app.setValidatorCompiler(createValidatorCompiler());
  useJsonBodiesOnly(app);

  app.setErrorHandler((error, request, reply) => {
    const { status, error: appError } = toErrorReply(error, request, bodyLimitBytes);
    logErrorReply(request, status, appError, error);
    return sendError(reply, status, appError);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0]?.slice(0, 200) ?? "";
    const error = new AppError("not_found", `no route ${request.method} ${path}`, {
      method: request.method,
      path,
    });
    logErrorReply(request, 404, error, undefined);
    return sendError(reply, 404, error);
  });

  // A response finished while closing ends its keep-alive connection; otherwise the server
  // would wait for the client's idle timeout before it could close.
  app.addHook("onSend", async (_request, reply, payload) => {
    if (options.shutdown.aborted) void reply.header("connection", "close");
    return payload;
  });
  app.addHook("onResponse", async (request, reply) => {
    metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? "unmatched",
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await registerOpenApi(app, options.version);
  // Clients send nothing on the event stream; a small limit keeps them from sending much.
  await app.register(websocket, { options: { maxPayload: 4 * 1024 } });
  registerHealthRoutes(app, options);
  registerSystemRoutes(app, options);
  registerMetricsRoutes(app, options);
  registerProjectRoutes(app, options);
  registerTaskRoutes(app, options);
  registerAgentRoutes(app, options);
  registerWorkerRoutes(app, options);
  registerMessageRoutes(app, options);
  registerIntegrationRoutes(app, options);
  registerKnowledgeRoutes(app, options);
  registerKnowledgeSubscriptionRoutes(app, options);
  registerEventRoutes(app, options);
  await app.ready();
  return app;
}
