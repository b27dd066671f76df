import { sleep } from "../cli/cli-process.js";
import type { TaskJson } from "../../src/gateway/schemas/task-schemas.js";
import type { RestClient } from "./rest-client.js";

/** What it took to get one submission acknowledged. */
export interface Acknowledged {
  key: string;
  task: TaskJson;
  /** Answers before the acknowledgement: HTTP statuses, or "network" for a failed exchange. */
  refusals: Array<number | "network">;
  /** Whether the acknowledgement was a replay of an earlier, unseen one. */
  replayed: boolean;
}

/**
 * Submits a task the way a careful client does: with an Idempotency-Key, retrying with the
 * same key while the system is unavailable (503, or the exchange failed), until `deadline`
 * (epoch ms). Any other refusal is a failure of the test.
 */
export async function submitUntilAcknowledged(
  api: RestClient,
  key: string,
  spec: Record<string, unknown>,
  deadline: number,
): Promise<Acknowledged> {
  const refusals: Array<number | "network"> = [];
  for (;;) {
    try {
      const reply = await api.request<TaskJson>("POST", "/api/v1/tasks", spec, {
        "Idempotency-Key": key,
      });
      if (reply.status === 201) {
        return {
          key,
          task: reply.json,
          refusals,
          replayed: reply.headers.get("idempotent-replayed") === "true",
        };
      }
      if (reply.status !== 503)
        throw new Error(
          `POST /api/v1/tasks (key ${key}) answered ${reply.status}: ${JSON.stringify(reply.json)}`,
        );
      refusals.push(reply.status);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      // fetch failed: the connection broke before an answer.
      refusals.push("network");
    }
    if (Date.now() > deadline)
      throw new Error(
        `submission ${key} not acknowledged in time; refusals: ${refusals.join(", ")}`,
      );
    await sleep(100);
  }
}
