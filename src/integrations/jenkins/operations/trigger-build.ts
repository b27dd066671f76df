import { Type } from "@sinclair/typebox";
import { AppError, type JsonObject } from "../../../domain/index.js";
import { defineOperation, type OperationCall } from "../../integration.js";
import { buildResult } from "../build-info.js";
import type { JenkinsClient } from "../client.js";
import { normaliseThrown } from "../../framework/normalise-thrown.js";
import { buildFailedError, JENKINS, mapJenkinsError, unexpectedAnswer } from "../errors.js";
import { waitForEnd, waitForStart } from "../follow-build.js";
import { jobParameter, jobPath, jobSubject } from "../job-path.js";

const parameters = Type.Object(
  {
    job: jobParameter(),
    parameters: Type.Optional(
      Type.Record(
        Type.String(),
        Type.Union([Type.String({ maxLength: 65_536 }), Type.Number(), Type.Boolean()]),
        {
          maxProperties: 200,
          description:
            "Build parameters by name (strings, numbers or booleans). Given (even {}), the build is started with buildWithParameters and parameters left out take their defaults; omitted, with build (for jobs without parameters).",
        },
      ),
    ),
    wait_for_completion: Type.Boolean({
      default: false,
      description:
        "Also wait until the build finishes and fail unless its result is SUCCESS. Give the call a timeout long enough for the build.",
    }),
    poll_interval_ms: Type.Integer({
      minimum: 50,
      maximum: 60_000,
      default: 2_000,
      description: "How often the queue item and the build are polled.",
    }),
    delay_seconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 86_400,
        description:
          "Quiet period before the build starts; the job's own (often 5 s) when omitted.",
      }),
    ),
  },
  { additionalProperties: false },
);

/** The queue item id in the Location Jenkins answers a trigger with (…/queue/item/N/). */
function queueItemOf(location: string | null): number {
  const id = location === null ? undefined : /\/queue\/item\/(\d+)\/?$/.exec(location)?.[1];
  if (id === undefined) {
    throw unexpectedAnswer(
      `the build was not queued (answer without a queue item${location === null ? "" : `: ${location}`})`,
    );
  }
  return Number(id);
}

async function trigger(
  client: JenkinsClient,
  job: string,
  values: Readonly<Record<string, string | number | boolean>> | undefined,
  delaySeconds: number | undefined,
  call: OperationCall,
): Promise<number> {
  const query = delaySeconds === undefined ? undefined : { delay: `${delaySeconds}sec` };
  const form =
    values === undefined
      ? undefined
      : new URLSearchParams(
          Object.entries(values).map(([name, value]): [string, string] => [name, String(value)]),
        );
  const path = `${jobPath(job)}/${values === undefined ? "build" : "buildWithParameters"}`;
  const answer = await client.post(path, {
    signal: call.signal,
    query,
    form,
    subject: jobSubject(job),
  });
  const queueItem = queueItemOf(answer.headers.get("location"));
  call.logger.info({ job, queue_item: queueItem }, "jenkins build queued");
  return queueItem;
}

/** What is known of a triggered build. */
interface Triggered {
  queueItem: number;
  number?: number;
}

/**
 * A failure while following a build that was triggered: says so (with the queue item and
 * build number), since calling again would start another build.
 */
function afterTrigger(error: unknown, triggered: Triggered, signal: AbortSignal): unknown {
  if (signal.aborted) return error;
  const appError = normaliseThrown(JENKINS, error, mapJenkinsError, 0);
  const reason = appError.details.reason;
  if (reason === "build_failed" || reason === "build_cancelled") return appError;
  const details: JsonObject = {
    ...appError.details,
    triggered: true,
    queue_item: triggered.queueItem,
  };
  let where = `queue item ${triggered.queueItem}`;
  if (triggered.number !== undefined) {
    details.build_number = triggered.number;
    where += `, build #${triggered.number}`;
  }
  return new AppError(
    appError.code,
    `${appError.message} (the build was triggered: ${where})`,
    details,
  );
}

export const triggerBuild = defineOperation<JenkinsClient, typeof parameters>({
  description:
    "Starts a build of a job (with parameters if given), follows its queue item until the build has a number, and optionally waits for the build to finish; a build ending with anything but SUCCESS then fails the call (failed_precondition, reason build_failed).",
  parameters,
  sideEffect: true,
  run: async (client, p, call): Promise<JsonObject> => {
    const queueItem = await trigger(client, p.job, p.parameters, p.delay_seconds, call);
    const triggered: Triggered = { queueItem };
    try {
      const started = await waitForStart(client, p.job, queueItem, p.poll_interval_ms, call);
      triggered.number = started.number;
      if (!p.wait_for_completion) {
        return { job: p.job, queue_item: queueItem, number: started.number, url: started.url };
      }
      const build = await waitForEnd(client, p.job, started.number, p.poll_interval_ms, call);
      const result = build.result ?? "NOT_BUILT";
      if (result !== "SUCCESS") {
        throw buildFailedError({
          job: p.job,
          number: build.number,
          result,
          url: build.url,
          durationMs: build.durationMs,
        });
      }
      return { ...buildResult(build), queue_item: queueItem };
    } catch (error) {
      throw afterTrigger(error, triggered, call.signal);
    }
  },
});
