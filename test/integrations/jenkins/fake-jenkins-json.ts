import type {
  FakeBuild,
  FakeItem,
  FakeJenkinsModel,
  FakeJob,
  FakeQueueItem,
  FakeResult,
} from "./fake-jenkins-model.js";

const RESULT_COLOR: Readonly<Record<FakeResult, string>> = {
  SUCCESS: "blue",
  UNSTABLE: "yellow",
  FAILURE: "red",
  NOT_BUILT: "notbuilt",
  ABORTED: "aborted",
};

/** The fake's state as Jenkins renders it in its JSON API (before `tree` filtering). */
export class FakeJenkinsJson {
  /** @param url The server's root URL, which Jenkins puts in the URLs of its JSON. */
  constructor(
    private readonly model: FakeJenkinsModel,
    private readonly url: () => string,
  ) {}

  itemUrl(item: FakeItem): string {
    return `${this.url()}${item.fullName
      .split("/")
      .map((name) => `/job/${encodeURIComponent(name)}`)
      .join("")}/`;
  }

  color(job: FakeJob): string {
    if (job.options.disabled === true) return "disabled";
    const last = job.builds.at(-1);
    if (last === undefined) return "notbuilt";
    const completed = job.builds.filter((b) => !b.building).at(-1);
    const base = completed?.result ? RESULT_COLOR[completed.result] : "notbuilt";
    return last.building ? `${base}_anime` : base;
  }

  itemJson(item: FakeItem): Record<string, unknown> {
    if (item.kind === "folder") {
      return {
        _class: "com.cloudbees.hudson.plugins.folder.Folder",
        description: null,
        displayName: item.name,
        fullName: item.fullName,
        name: item.name,
        url: this.itemUrl(item),
        jobs: [...item.items.values()].map((child) => this.itemSummary(child)),
      };
    }
    const last = item.builds.at(-1);
    return {
      ...this.itemSummary(item),
      buildable: item.options.disabled !== true,
      inQueue: [...this.model.queue.values()].some((q) => q.job === item && q.build === undefined),
      lastBuild: last === undefined ? null : this.buildRef(last),
      nextBuildNumber: item.nextNumber,
      builds: item.builds.map((b) => this.buildRef(b)).reverse(),
    };
  }

  private itemSummary(item: FakeItem): Record<string, unknown> {
    if (item.kind === "folder") {
      return {
        _class: "com.cloudbees.hudson.plugins.folder.Folder",
        name: item.name,
        url: this.itemUrl(item),
        fullName: item.fullName,
      };
    }
    return {
      _class:
        item.options.pipeline === true
          ? "org.jenkinsci.plugins.workflow.job.WorkflowJob"
          : "hudson.model.FreeStyleProject",
      name: item.name,
      url: this.itemUrl(item),
      color: this.color(item),
      fullName: item.fullName,
    };
  }

  private buildClass(build: FakeBuild): string {
    return build.job.options.pipeline === true
      ? "org.jenkinsci.plugins.workflow.job.WorkflowRun"
      : "hudson.model.FreeStyleBuild";
  }

  private buildRef(build: FakeBuild): Record<string, unknown> {
    return {
      _class: this.buildClass(build),
      number: build.number,
      url: `${this.itemUrl(build.job)}${build.number}/`,
    };
  }

  buildJson(build: FakeBuild, user: string): Record<string, unknown> {
    const definitions = build.job.options.parameters ?? [];
    const actions: Record<string, unknown>[] = [];
    if (definitions.length > 0) {
      actions.push({
        _class: "hudson.model.ParametersAction",
        parameters: definitions.map((d) => ({
          _class:
            d.type === "boolean"
              ? "hudson.model.BooleanParameterValue"
              : "hudson.model.StringParameterValue",
          name: d.name,
          value: build.params[d.name],
        })),
      });
    }
    actions.push({
      _class: "hudson.model.CauseAction",
      causes: [
        {
          _class: "hudson.model.Cause$UserIdCause",
          shortDescription: `Started by user ${user}`,
          userId: user,
          userName: user,
        },
      ],
    });
    return {
      ...this.buildRef(build),
      actions,
      artifacts: [],
      building: build.building,
      description: null,
      displayName: `#${build.number}`,
      duration: build.duration,
      estimatedDuration: 60_000,
      executor: build.building ? {} : null,
      fullDisplayName: `${build.job.fullName.split("/").join(" » ")} #${build.number}`,
      id: String(build.number),
      keepLog: false,
      queueId: build.queueId,
      result: build.result,
      timestamp: build.timestamp,
    };
  }

  queueItemJson(item: FakeQueueItem): Record<string, unknown> {
    const params = Object.entries(item.params)
      .map(([name, value]) => `\n${name}=${String(value)}`)
      .join("");
    const common = {
      actions: [{ _class: "hudson.model.CauseAction" }],
      blocked: false,
      id: item.id,
      inQueueSince: item.inQueueSince,
      params,
      stuck: false,
      task: {
        _class: "hudson.model.FreeStyleProject",
        name: item.job.name,
        url: this.itemUrl(item.job),
        color: this.color(item.job),
      },
      url: `queue/item/${item.id}/`,
    };
    if (item.cancelled) {
      return {
        _class: "hudson.model.Queue$LeftItem",
        ...common,
        buildable: false,
        why: null,
        cancelled: true,
        executable: null,
      };
    }
    if (item.build !== undefined) {
      return {
        _class: "hudson.model.Queue$LeftItem",
        ...common,
        buildable: false,
        why: null,
        cancelled: false,
        executable: this.buildRef(item.build),
      };
    }
    const quiet = item.pollsLeft > 0;
    return {
      _class: quiet ? "hudson.model.Queue$WaitingItem" : "hudson.model.Queue$BuildableItem",
      ...common,
      buildable: !quiet,
      why: quiet
        ? `In the quiet period. Expires in ${item.pollsLeft} sec`
        : "Waiting for next available executor",
      timestamp: item.inQueueSince + 5_000,
    };
  }
}
