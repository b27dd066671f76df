import { Type } from "@sinclair/typebox";
import type { JsonObject } from "../../../domain/index.js";
import { defineOperation } from "../../integration.js";
import type { JenkinsClient } from "../client.js";
import { remoteError } from "../../framework/remote-errors.js";
import { JENKINS } from "../errors.js";
import { jobParameter, jobPath } from "../job-path.js";
import { JobListJson } from "../responses.js";

const parameters = Type.Object(
  { folder: Type.Optional(jobParameter("folder")) },
  { additionalProperties: false },
);

const STATUS_OF_COLOR: Readonly<Record<string, string>> = {
  blue: "success",
  red: "failure",
  yellow: "unstable",
  aborted: "aborted",
  disabled: "disabled",
  notbuilt: "notbuilt",
  grey: "notbuilt",
};

/**
 * A job's status from its ball colour: the last build's result, "building" while one runs
 * (a colour ending in _anime), "none" for items without builds of their own (folders).
 */
export function statusOfColor(color: string | null | undefined): string {
  if (color === null || color === undefined || color === "") return "none";
  if (color.endsWith("_anime")) return "building";
  return STATUS_OF_COLOR[color] ?? color;
}

export const listJobs = defineOperation<JenkinsClient, typeof parameters>({
  description:
    "Lists the jobs (and folders) at the top level or in a folder, with each one's status from its last build: success, failure, unstable, aborted, building, disabled, notbuilt, or none for folders.",
  parameters,
  sideEffect: false,
  run: async (client, p, call) => {
    const path = `${p.folder === undefined ? "" : jobPath(p.folder)}/api/json`;
    const { json } = await client.getJson(path, JobListJson, {
      signal: call.signal,
      query: { tree: "jobs[name,url,color,fullName]" },
      subject: `folder ${JSON.stringify(p.folder ?? "")}`,
    });
    if (json.jobs === undefined) {
      throw remoteError(
        JENKINS,
        "invalid_request",
        `${JSON.stringify(p.folder ?? "")} is not a folder: it has no jobs`,
      );
    }
    const jobs = json.jobs.map((job): JsonObject => {
      const type = job._class?.split(".").at(-1) ?? null;
      return {
        name: job.name,
        full_name: job.fullName ?? (p.folder === undefined ? job.name : `${p.folder}/${job.name}`),
        url: job.url ?? null,
        type,
        status: statusOfColor(job.color),
      };
    });
    return { folder: p.folder ?? null, jobs };
  },
});
