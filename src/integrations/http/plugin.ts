import { definePlugin, type IntegrationPlugin } from "../integration.js";
import { createHttpClient, type HttpClient, type HttpClientOptions } from "./client.js";
import { mapHttpError } from "./errors.js";
import { HTTP_INTEGRATION } from "./refusals.js";
import { requestOperation } from "./request-operation.js";

/**
 * The generic HTTP integration, with internal options (tests inject a resolver so their
 * host names map to chosen addresses). It has no settings: it is always configured, and
 * where it may connect comes from the configuration (integrations.allowPrivateNetworks,
 * integrations.allowedHosts). See docs/integrations/http.md.
 */
export function createHttpPlugin(options: HttpClientOptions = {}): IntegrationPlugin<HttpClient> {
  return definePlugin<HttpClient>({
    name: HTTP_INTEGRATION,
    description:
      "Generic HTTP requests to public http/https URLs, with server-side request forgery protection (private, loopback and metadata addresses refused unless allowed).",
    settings: {},
    connect: (_settings, context) => createHttpClient(context, options),
    // The integration is local: nothing to reach until a call names a URL. The check only
    // reports the policy the calls are held to.
    check: async (client) => client.policy.describe(),
    operations: { request: requestOperation },
    mapError: mapHttpError,
  });
}

/** The built-in generic HTTP integration. */
export const httpPlugin = createHttpPlugin();
