import { Type } from "@sinclair/typebox";
import {
  defineOperation,
  definePlugin,
  remoteErrorOfStatus,
} from "../../../src/integrations/index.js";

interface EchoClient {
  url: string;
  token: string;
}

async function call(
  client: EchoClient,
  method: string,
  path: string,
  signal: AbortSignal,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${client.url}${path}`, {
    method,
    signal,
    headers: {
      authorization: `Bearer ${client.token}`,
      "content-type": "application/json",
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw remoteErrorOfStatus("echo", response.status, text, response.headers.get("retry-after"));
  }
  return JSON.parse(text) as never;
}

/**
 * A plugin written for the framework's tests: a tiny REST API reached with fetch, so every
 * path of the runtime (validation, retries, deadlines, idempotency, redaction) runs for real.
 */
export const echoPlugin = definePlugin<EchoClient>({
  name: "echo",
  description: "A scripted local API.",
  settings: {
    url: { env: "ECHO_URL", description: "Base URL.", required: true },
    token: { env: "ECHO_TOKEN", description: "API token.", required: true, secret: true },
  },
  connect: (settings) => ({ url: settings.url ?? "", token: settings.token ?? "" }),
  check: (client, { signal }) => call(client, "GET", "/check", signal),
  operations: {
    get_thing: defineOperation<EchoClient, ReturnType<typeof thingParams>>({
      description: "Reads a thing.",
      parameters: thingParams(),
      sideEffect: false,
      run: (client, { id }, { signal }) => call(client, "GET", `/things/${id}`, signal),
    }),
    post_note: defineOperation({
      description: "Posts a note.",
      parameters: Type.Object(
        { text: Type.String({ minLength: 1 }) },
        { additionalProperties: false },
      ),
      sideEffect: true,
      run: (client: EchoClient, { text }, { signal, idempotencyKey }) =>
        call(client, "POST", "/notes", signal, { text }, { "idempotency-key": idempotencyKey }),
    }),
    "store.put": defineOperation({
      description: "A sub-service's operation.",
      parameters: Type.Object({}, { additionalProperties: false }),
      sideEffect: false,
      run: (client: EchoClient, _p, { signal }) => call(client, "GET", "/store", signal),
    }),
  },
});

function thingParams() {
  return Type.Object(
    { id: Type.String({ pattern: "^[a-z0-9]+$", description: "The thing's id." }) },
    { additionalProperties: false },
  );
}
