import type { OperationCall } from "../integration.js";
import { type BuildInfo, readBuild } from "./build-info.js";
import type { JenkinsClient } from "./client.js";
import { queueCancelledError } from "./errors.js";
import { pollRead, sleep } from "./poll.js";
import { QueueItemJson } from "./responses.js";

/** The build a queue item became. */
export interface StartedBuild {
  number: number;
  url: string | null;
}

/**
 * Follows a queue item until it becomes a build (its `executable`), logging why it waits
 * each time the reason changes. A cancelled item fails the call.
 */
export async function waitForStart(
  client: JenkinsClient,
  job: string,
  queueItem: number,
  intervalMs: number,
  call: OperationCall,
): Promise<StartedBuild> {
  let lastWhy: string | null | undefined;
  for (;;) {
    const { json: item } = await pollRead(
      () =>
        client.getJson(`/queue/item/${queueItem}/api/json`, QueueItemJson, {
          signal: call.signal,
          subject: `queue item ${queueItem} of job ${JSON.stringify(job)}`,
        }),
      intervalMs,
      call,
    );
    if (item.cancelled === true) throw queueCancelledError(job, queueItem);
    if (item.executable) {
      call.logger.info(
        { job, queue_item: queueItem, build_number: item.executable.number },
        "jenkins build started",
      );
      return { number: item.executable.number, url: item.executable.url ?? null };
    }
    const why = item.why ?? null;
    if (why !== lastWhy) {
      call.logger.info({ job, queue_item: queueItem, why }, "jenkins build waiting in the queue");
      lastWhy = why;
    }
    await sleep(intervalMs, call.signal);
  }
}

/** Polls a build until it is no longer building; returns it as it finished. */
export async function waitForEnd(
  client: JenkinsClient,
  job: string,
  number: number,
  intervalMs: number,
  call: OperationCall,
): Promise<BuildInfo> {
  let polls = 0;
  for (;;) {
    const build = await pollRead(
      () => readBuild(client, job, number, call.signal),
      intervalMs,
      call,
    );
    if (!build.building) {
      call.logger.info(
        { job, build_number: number, result: build.result, duration_ms: build.durationMs },
        "jenkins build finished",
      );
      return build;
    }
    polls += 1;
    if (polls === 1 || polls % 30 === 0) {
      const elapsedMs = Math.max(0, Date.now() - build.timestamp);
      call.logger.info(
        {
          job,
          build_number: number,
          elapsed_ms: elapsedMs,
          estimated_duration_ms: build.estimatedDurationMs,
        },
        "jenkins build running",
      );
    }
    await sleep(intervalMs, call.signal);
  }
}
