/** The state of the fake Jenkins: folders, jobs, the queue and builds, rendered as its JSON. */

export type FakeResult = "SUCCESS" | "UNSTABLE" | "FAILURE" | "NOT_BUILT" | "ABORTED";

export interface FakeParameter {
  name: string;
  type?: "string" | "boolean";
  default?: string | boolean;
}

/** How a job behaves. */
export interface FakeJobOptions {
  /** Makes it a parameterized job (triggered with buildWithParameters). */
  parameters?: FakeParameter[];
  disabled?: boolean;
  /** Polls of its queue item answered "waiting" before it becomes a build (default 1). */
  queuePolls?: number;
  /** The queue item is cancelled instead of becoming a build. */
  cancelInQueue?: boolean;
  /** Reads of a build (its JSON or console) answered "building" before it ends (default 1). */
  runPolls?: number;
  /** How builds end (default SUCCESS). */
  result?: FakeResult;
  /** Console lines written while it runs, one per read. */
  consoleLines?: string[];
  /** A Pipeline job rather than a freestyle one. */
  pipeline?: boolean;
}

export interface FakeFolder {
  kind: "folder";
  name: string;
  fullName: string;
  items: Map<string, FakeItem>;
}

export interface FakeJob {
  kind: "job";
  name: string;
  fullName: string;
  options: FakeJobOptions;
  builds: FakeBuild[];
  nextNumber: number;
}

export type FakeItem = FakeFolder | FakeJob;

export interface FakeBuild {
  job: FakeJob;
  number: number;
  queueId: number;
  params: Record<string, string | boolean>;
  building: boolean;
  result: FakeResult | null;
  readsLeft: number;
  pendingLines: string[];
  log: string;
  timestamp: number;
  duration: number;
}

export interface FakeQueueItem {
  id: number;
  job: FakeJob;
  params: Record<string, string | boolean>;
  pollsLeft: number;
  cancelled: boolean;
  build: FakeBuild | undefined;
  inQueueSince: number;
}

/** Jenkins' permalinks and which builds they point at. */
const PERMALINKS: Readonly<Record<string, (b: FakeBuild) => boolean>> = {
  lastBuild: () => true,
  lastCompletedBuild: (b) => !b.building,
  lastSuccessfulBuild: (b) => b.result === "SUCCESS" || b.result === "UNSTABLE",
  lastStableBuild: (b) => b.result === "SUCCESS",
  lastFailedBuild: (b) => b.result === "FAILURE",
  lastUnstableBuild: (b) => b.result === "UNSTABLE",
  lastUnsuccessfulBuild: (b) => !b.building && b.result !== "SUCCESS",
};

export class FakeJenkinsModel {
  readonly root: FakeFolder = { kind: "folder", name: "", fullName: "", items: new Map() };
  readonly queue = new Map<number, FakeQueueItem>();
  private nextQueueId = 1;

  addFolder(fullName: string): FakeFolder {
    let folder = this.root;
    for (const name of fullName.split("/")) {
      const existing = folder.items.get(name);
      if (existing?.kind === "job") throw new Error(`${existing.fullName} is a job`);
      const next: FakeFolder = existing ?? {
        kind: "folder",
        name,
        fullName: folder.fullName === "" ? name : `${folder.fullName}/${name}`,
        items: new Map(),
      };
      folder.items.set(name, next);
      folder = next;
    }
    return folder;
  }

  addJob(fullName: string, options: FakeJobOptions = {}): FakeJob {
    const names = fullName.split("/");
    const name = names.pop() ?? fullName;
    const parent = names.length === 0 ? this.root : this.addFolder(names.join("/"));
    const job: FakeJob = { kind: "job", name, fullName, options, builds: [], nextNumber: 1 };
    parent.items.set(name, job);
    return job;
  }

  /** The item at /job/a/job/b (names already decoded). */
  find(names: readonly string[]): FakeItem | undefined {
    let item: FakeItem = this.root;
    for (const name of names) {
      if (item.kind !== "folder") return undefined;
      const next: FakeItem | undefined = item.items.get(name);
      if (next === undefined) return undefined;
      item = next;
    }
    return item;
  }

  job(fullName: string): FakeJob {
    const item = this.find(fullName.split("/"));
    if (item?.kind !== "job") throw new Error(`no job ${fullName}`);
    return item;
  }

  /**
   * Queues a build; like Jenkins, an identical item still waiting (same job, same
   * parameters) is returned instead of queueing a second one.
   */
  schedule(job: FakeJob, given: Record<string, string>): FakeQueueItem {
    const params: Record<string, string | boolean> = {};
    for (const definition of job.options.parameters ?? []) {
      const raw = given[definition.name];
      const value = raw ?? definition.default ?? (definition.type === "boolean" ? false : "");
      params[definition.name] = definition.type === "boolean" ? String(value) === "true" : value;
    }
    for (const item of this.queue.values()) {
      const waiting = item.build === undefined && !item.cancelled;
      if (waiting && item.job === job && JSON.stringify(item.params) === JSON.stringify(params))
        return item;
    }
    const item: FakeQueueItem = {
      id: this.nextQueueId++,
      job,
      params,
      pollsLeft: job.options.queuePolls ?? 1,
      cancelled: false,
      build: undefined,
      inQueueSince: Date.now(),
    };
    this.queue.set(item.id, item);
    return item;
  }

  /** A poll of a queue item: time passes, and it may become a build. */
  pollQueueItem(id: number, user: string): FakeQueueItem | undefined {
    const item = this.queue.get(id);
    if (item === undefined || item.build !== undefined || item.cancelled) return item;
    if (item.pollsLeft > 0) {
      item.pollsLeft -= 1;
      return item;
    }
    if (item.job.options.cancelInQueue === true) {
      item.cancelled = true;
      return item;
    }
    item.build = this.startBuild(item, user);
    return item;
  }

  private startBuild(item: FakeQueueItem, user: string): FakeBuild {
    const { job } = item;
    const build: FakeBuild = {
      job,
      number: job.nextNumber++,
      queueId: item.id,
      params: item.params,
      building: true,
      result: null,
      readsLeft: job.options.runPolls ?? 1,
      pendingLines: [...(job.options.consoleLines ?? ["Building..."])],
      log: `Started by user ${user}\n`,
      timestamp: Date.now(),
      duration: 0,
    };
    job.builds.push(build);
    return build;
  }

  /** A build by number or permalink. */
  build(job: FakeJob, ref: string): FakeBuild | undefined {
    const permalink = PERMALINKS[ref];
    if (permalink !== undefined) return job.builds.filter(permalink).at(-1);
    if (!/^\d+$/.test(ref)) return undefined;
    return job.builds.find((b) => b.number === Number(ref));
  }

  /** A read of a running build: it writes a console line, or ends. */
  advance(build: FakeBuild): void {
    if (!build.building) return;
    if (build.readsLeft > 0) {
      build.readsLeft -= 1;
      const line = build.pendingLines.shift();
      if (line !== undefined) build.log += `${line}\n`;
      return;
    }
    for (const line of build.pendingLines.splice(0)) build.log += `${line}\n`;
    this.finish(build, build.job.options.result ?? "SUCCESS");
  }

  stop(build: FakeBuild, user: string): void {
    if (!build.building) return;
    build.log += `Aborted by ${user}\n`;
    this.finish(build, "ABORTED");
  }

  private finish(build: FakeBuild, result: FakeResult): void {
    build.building = false;
    build.result = result;
    build.duration = Math.max(1, Date.now() - build.timestamp);
    build.log += `Finished: ${result}\n`;
  }
}
