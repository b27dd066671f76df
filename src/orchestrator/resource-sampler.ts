import pidusage from "pidusage";

/** CPU and memory of one process at the last sample. */
export interface ResourceUsage {
  /** Percent of one core (may exceed 100 on several cores). */
  cpuPercent: number;
  rssBytes: number;
}

/**
 * Samples CPU and RSS of a changing set of processes every `intervalMs`. Each pid is sampled
 * on its own so that one that just died does not blank the others.
 */
export class ResourceSampler {
  private timer: NodeJS.Timeout | undefined;
  private latest = new Map<number, ResourceUsage>();
  private sampling = false;

  constructor(
    private readonly pids: () => readonly number[],
    private readonly intervalMs = 2_000,
  ) {}

  start(): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
  }

  /** The last sample of `pid`, if it has one. */
  usage(pid: number): ResourceUsage | undefined {
    return this.latest.get(pid);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    // pidusage keeps per-pid history behind a timer of its own.
    pidusage.clear();
  }

  private async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      const pids = [...new Set(this.pids())];
      const results = await Promise.allSettled(pids.map((pid) => pidusage(pid)));
      const next = new Map<number, ResourceUsage>();
      results.forEach((result, i) => {
        if (result.status === "fulfilled") {
          next.set(pids[i] as number, {
            cpuPercent: Math.round(result.value.cpu * 10) / 10,
            rssBytes: result.value.memory,
          });
        }
      });
      this.latest = next;
    } finally {
      this.sampling = false;
    }
  }
}
