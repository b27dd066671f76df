import type { JsonObject, JsonValue } from "../../domain/index.js";
import type { JenkinsClient } from "./client.js";
import { type BuildRef, buildPath, buildSubject } from "./job-path.js";
import { BuildJson } from "./responses.js";

/** Only the fields read, so a build with a long history answers quickly. */
const BUILD_TREE =
  "number,building,result,duration,estimatedDuration,timestamp,url,actions[parameters[name,value]]";

/** One build as operations return it. */
export interface BuildInfo {
  job: string;
  number: number;
  building: boolean;
  /** SUCCESS, UNSTABLE, FAILURE, NOT_BUILT or ABORTED; null while it runs. */
  result: string | null;
  durationMs: number;
  estimatedDurationMs: number | null;
  /** When it started, ms since epoch. */
  timestamp: number;
  url: string;
  parameters: JsonObject;
}

/** Reads one build (by number or permalink). */
export async function readBuild(
  client: JenkinsClient,
  job: string,
  build: BuildRef,
  signal: AbortSignal,
): Promise<BuildInfo> {
  const { json } = await client.getJson(`${buildPath(job, build)}/api/json`, BuildJson, {
    signal,
    query: { tree: BUILD_TREE },
    subject: buildSubject(job, build),
  });
  return {
    job,
    number: json.number,
    building: json.building,
    result: json.result,
    durationMs: json.duration,
    estimatedDurationMs: json.estimatedDuration ?? null,
    timestamp: json.timestamp,
    url: json.url,
    parameters: parametersOf(json),
  };
}

/** The build's parameters by name; values Jenkins hides (passwords, files) are null. */
function parametersOf(json: BuildJson): JsonObject {
  const parameters: JsonObject = {};
  for (const action of json.actions ?? []) {
    for (const { name, value } of action?.parameters ?? []) {
      parameters[name] = scalar(value);
    }
  }
  return parameters;
}

function scalar(value: unknown): JsonValue {
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  return null;
}

/** A build as a compact JSON result. */
export function buildResult(build: BuildInfo): JsonObject {
  return {
    job: build.job,
    number: build.number,
    building: build.building,
    result: build.result,
    duration_ms: build.durationMs,
    estimated_duration_ms: build.estimatedDurationMs,
    timestamp: build.timestamp,
    url: build.url,
    parameters: build.parameters,
  };
}
