import { Type } from "@sinclair/typebox";

/**
 * A job's full name: folders and the job separated by "/", no empty, "." or ".." segment (they
 * would change the URL's meaning once joined).
 */
const JOB_NAME = "^(?!.*(?:^|/)\\.{1,2}(?:/|$))[^/]+(?:/[^/]+)*$";

/** The `job` parameter of every operation working on one job (or folder). */
export function jobParameter(what = "job") {
  return Type.String({
    pattern: JOB_NAME,
    maxLength: 1024,
    // Validation errors read "parameters.job must be <description>".
    description: `the ${what}'s full name: its folders and its name joined by "/", e.g. "team/app/deploy"`,
  });
}

/** Jenkins' permalinks: a build named by what it is rather than by its number. */
export const PERMALINKS = [
  "lastBuild",
  "lastCompletedBuild",
  "lastSuccessfulBuild",
  "lastStableBuild",
  "lastFailedBuild",
  "lastUnstableBuild",
  "lastUnsuccessfulBuild",
] as const;

/** A build number or one of {@link PERMALINKS}. */
export type BuildRef = number | string;

/** The `number` parameter naming a build by number or permalink. */
export function buildRefParameter(description: string) {
  return Type.Union(
    [
      Type.String({
        pattern: `^(?:${PERMALINKS.join("|")})$`,
        description: `a build number or a permalink (${PERMALINKS.join(", ")})`,
      }),
      Type.Integer({ minimum: 1, description: "a build number" }),
    ],
    { description },
  );
}

/** The URL path of a job (or folder): "team/app" is /job/team/job/app, each segment encoded. */
export function jobPath(job: string): string {
  return job
    .split("/")
    .map((segment) => `/job/${encodeURIComponent(segment)}`)
    .join("");
}

/** The URL path of one build of a job. */
export function buildPath(job: string, build: BuildRef): string {
  return `${jobPath(job)}/${build}`;
}

/** How a build is named in messages: `build #12 of job "a/b"`. */
export function buildSubject(job: string, build: BuildRef): string {
  const name = typeof build === "number" ? `#${build}` : build;
  return `build ${name} of job ${JSON.stringify(job)}`;
}

/** How a job is named in messages. */
export function jobSubject(job: string): string {
  return `job ${JSON.stringify(job)}`;
}
