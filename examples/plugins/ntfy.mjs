// An example integration plugin: push notifications through an ntfy server (https://ntfy.sh
// or your own). Load it with `"integrations": {"plugins": ["examples/plugins/ntfy.mjs"]}` in
// mcp-dist.config.json, set NTFY_URL (and NTFY_TOKEN if your server needs one), then:
//
//   curl -X POST localhost:8000/api/v1/integrations/ntfy \
//     -H 'content-type: application/json' \
//     -d '{"operation": "publish", "parameters": {"topic": "deploys", "message": "done"}}'
//
// A plugin is a plain object: the service validates parameters against the JSON Schemas, adds
// deadlines, retries, idempotency and secret redaction; the plugin only talks to its system.

/* global fetch, URL */

/** Turns a non-2xx answer into the error the service understands (see docs/plugins.md). */
function failure(status, text, retryAfter) {
  const reason =
    status === 401
      ? "bad_credentials"
      : status === 403
        ? "permission_denied"
        : status === 404
          ? "not_found"
          : status === 429
            ? "rate_limited"
            : status >= 500
              ? "unavailable"
              : "invalid_request";
  const codes = {
    bad_credentials: "unauthenticated",
    permission_denied: "permission_denied",
    not_found: "not_found",
    rate_limited: "resource_exhausted",
    unavailable: "unavailable",
    invalid_request: "invalid_argument",
  };
  const error = new Error(`ntfy: HTTP ${status}: ${text.slice(0, 300)}`);
  error.code = codes[reason];
  error.details = { integration: "ntfy", reason, remote_status: status };
  if (retryAfter) error.details.retry_after_ms = Number(retryAfter) * 1000;
  return error;
}

async function request(client, method, path, signal, body, headers = {}) {
  const response = await fetch(new URL(path, client.url), {
    method,
    signal,
    headers: client.token ? { authorization: `Bearer ${client.token}`, ...headers } : headers,
    body,
  });
  const text = await response.text();
  if (!response.ok) throw failure(response.status, text, response.headers.get("retry-after"));
  return text === "" ? null : JSON.parse(text);
}

export default {
  name: "ntfy",
  description: "Push notifications to phones and desktops through an ntfy server.",
  settings: {
    url: { env: "NTFY_URL", description: "Base URL of the ntfy server.", required: true },
    token: {
      env: "NTFY_TOKEN",
      description: "Access token, if the server needs one.",
      secret: true,
    },
  },
  connect: (settings) => ({
    url: settings.url.endsWith("/") ? settings.url : `${settings.url}/`,
    token: settings.token,
  }),
  check: (client, call) => request(client, "GET", "v1/health", call.signal),
  operations: {
    publish: {
      description: "Publishes a message to a topic.",
      sideEffect: true,
      parameters: {
        type: "object",
        properties: {
          topic: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$", description: "The topic." },
          message: { type: "string", minLength: 1, maxLength: 4096 },
          title: { type: "string", maxLength: 256 },
          priority: { type: "integer", minimum: 1, maximum: 5, default: 3 },
          tags: { type: "array", items: { type: "string" }, maxItems: 10 },
        },
        required: ["topic", "message"],
        additionalProperties: false,
      },
      run: (client, p, call) =>
        request(client, "POST", "", call.signal, JSON.stringify(p), {
          "content-type": "application/json",
        }),
    },
  },
};
