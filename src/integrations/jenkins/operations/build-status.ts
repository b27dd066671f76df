import { Type } from "@sinclair/typebox";
import { defineOperation } from "../../integration.js";
import { buildResult, readBuild } from "../build-info.js";
import type { JenkinsClient } from "../client.js";
import { buildRefParameter, jobParameter } from "../job-path.js";

const parameters = Type.Object(
  {
    job: jobParameter(),
    number: buildRefParameter(
      "The build: its number, or a permalink such as lastBuild or lastSuccessfulBuild.",
    ),
  },
  { additionalProperties: false },
);

export const buildStatus = defineOperation<JenkinsClient, typeof parameters>({
  description:
    "Reads one build: whether it is still building, its result (SUCCESS, UNSTABLE, FAILURE, NOT_BUILT, ABORTED; null while building), duration, start time, URL and parameters.",
  parameters,
  sideEffect: false,
  run: async (client, p, call) =>
    buildResult(await readBuild(client, p.job, p.number, call.signal)),
});
