import { definePlugin, type Settings } from "../integration.js";
import {
  basicCredentials,
  JenkinsClient,
  type JenkinsCredentials,
  parseJenkinsUrl,
} from "./client.js";
import { JENKINS, mapJenkinsError } from "./errors.js";
import { abortBuild } from "./operations/abort-build.js";
import { buildStatus } from "./operations/build-status.js";
import { consoleOutput } from "./operations/console-output.js";
import { listJobs } from "./operations/list-jobs.js";
import { triggerBuild } from "./operations/trigger-build.js";
import { RootJson } from "./responses.js";

function credentials(settings: Settings): JenkinsCredentials {
  return { user: settings.user ?? "", token: settings.token ?? "" };
}

/**
 * Jenkins through its remote access API: start builds (and follow them to their end), read
 * their status and console, list jobs, stop builds.
 */
export const jenkinsPlugin = definePlugin<JenkinsClient>({
  name: JENKINS,
  description:
    "Jenkins CI: trigger builds (optionally waiting for their result), read build status and console output, list jobs, abort builds.",
  settings: {
    url: {
      env: "JENKINS_URL",
      description:
        "Jenkins' root URL, e.g. https://ci.example.com/ (with its context path, if any).",
      required: true,
    },
    user: {
      env: "JENKINS_USER",
      description: "The user the API token belongs to.",
      required: true,
    },
    token: {
      env: "JENKINS_API_TOKEN",
      description: "An API token of that user (user menu > Security > API Token).",
      required: true,
      secret: true,
    },
  },
  connect: (settings) =>
    new JenkinsClient(parseJenkinsUrl(settings.url ?? ""), credentials(settings)),
  check: async (client, call) => {
    const { json, headers } = await client.getJson("/api/json", RootJson, {
      signal: call.signal,
      query: { tree: "mode,nodeDescription" },
    });
    return {
      version: headers.get("x-jenkins"),
      mode: json.mode ?? null,
      node_description: json.nodeDescription ?? null,
    };
  },
  derivedSecrets: (settings) => {
    const basic = basicCredentials(credentials(settings));
    return [basic, `Basic ${basic}`];
  },
  mapError: mapJenkinsError,
  operations: {
    trigger_build: triggerBuild,
    build_status: buildStatus,
    console_output: consoleOutput,
    list_jobs: listJobs,
    abort_build: abortBuild,
  },
});
