import { Type } from "@sinclair/typebox";
import { defineOperation } from "../../integration.js";
import { readBuild } from "../build-info.js";
import type { JenkinsClient } from "../client.js";
import { buildPath, buildSubject, jobParameter } from "../job-path.js";

const parameters = Type.Object(
  {
    job: jobParameter(),
    number: Type.Integer({ minimum: 1, description: "The build's number." }),
  },
  { additionalProperties: false },
);

export const abortBuild = defineOperation<JenkinsClient, typeof parameters>({
  description:
    "Asks Jenkins to stop a running build (its stop button), then reads the build back; stopping a build that already finished changes nothing.",
  parameters,
  sideEffect: true,
  run: async (client, p, call) => {
    const subject = buildSubject(p.job, p.number);
    await client.post(`${buildPath(p.job, p.number)}/stop`, { signal: call.signal, subject });
    const build = await readBuild(client, p.job, p.number, call.signal);
    return {
      job: p.job,
      number: p.number,
      stop_requested: true,
      building: build.building,
      result: build.result,
      url: build.url,
    };
  },
});
