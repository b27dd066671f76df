/** What a health watch needs. */
export interface HealthWatchOptions {
  /** One check; resolves false on failure (never rejects). */
  probe: () => Promise<boolean>;
  intervalMs: number;
  /** Consecutive failures after which the process counts as down. */
  downAfter: number;
  /** Called when the verdict flips: down after `downAfter` failures, up on the next success. */
  onChange: (up: boolean, failures: number) => void;
}

/**
 * Periodic liveness checks of one running process. A single failed check is noise (a GC
 * pause, a busy machine); only `downAfter` in a row make it down.
 */
export class HealthWatch {
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private failures = 0;
  private up = true;

  constructor(private readonly options: HealthWatchOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.check(), this.options.intervalMs);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async check(): Promise<void> {
    // A check slower than the interval must not pile up behind itself.
    if (this.checking) return;
    this.checking = true;
    try {
      const ok = await this.options.probe();
      if (this.timer === undefined) return;
      if (ok) {
        this.failures = 0;
        if (!this.up) {
          this.up = true;
          this.options.onChange(true, 0);
        }
      } else if (++this.failures >= this.options.downAfter && this.up) {
        this.up = false;
        this.options.onChange(false, this.failures);
      }
    } finally {
      this.checking = false;
    }
  }
}
