import { testRegistry } from "../framework/test-registry.js";
import { randomUUID } from "node:crypto";
import { type IntegrationRegistry } from "../../../src/integrations/index.js";
import { youtrackPlugin } from "../../../src/integrations/youtrack/index.js";
import { FakeYouTrackServer } from "./fake-youtrack-server.js";

/** The configured token: a unique value, so finding it anywhere it should not be is certain. */
export const TOKEN = `perm:YWRtaW4=.Y2FuYXJ5.${randomUUID()}`;
/** A token of a user who may read but not change issues. */
export const READER_TOKEN = `perm:amFuZQ==.cmVhZGVy.${randomUUID()}`;

export function startFakeYouTrack(): Promise<FakeYouTrackServer> {
  return new FakeYouTrackServer({
    [TOKEN]: { login: "admin" },
    [READER_TOKEN]: { login: "jane", readOnly: true },
  }).start();
}

/** Everything every registry of a test file logged. */
export const captured = { logs: "" };

/**
 * A registry holding only the YouTrack plugin, configured from `env`, with short limits so
 * failure paths are quick; its log lines go to {@link captured}.
 */
export function youtrackRegistry(
  env: Record<string, string | undefined>,
  integrations: Record<string, unknown> = {},
): IntegrationRegistry {
  return testRegistry([youtrackPlugin], env, (line) => (captured.logs += line), {
    degradedLatencyMs: 1_500,
    ...integrations,
  });
}

/** The YouTrack integration of a fresh registry pointed at `server` with `token`. */
export function youtrack(server: FakeYouTrackServer, token = TOKEN) {
  return youtrackRegistry({ YOUTRACK_URL: server.url, YOUTRACK_TOKEN: token }).get("youtrack");
}
