import type { AppError } from "../../domain/index.js";
import type { Logger } from "../../observability/index.js";
import type { IntegrationStatus } from "../integration.js";

/**
 * An integration's status from its check: healthy, degraded when the check is slow or rate
 * limited, down when it fails. One check runs at a time; a result younger than `ttlMs` is
 * reused.
 */
export class StatusTracker {
  private last: IntegrationStatus;
  private running: Promise<IntegrationStatus> | null = null;
  /** Why the last check failed (redacted), for the `test` operation to throw. */
  lastError: AppError | undefined;

  constructor(
    private readonly integration: string,
    /** Runs the check; throws a redacted AppError when it fails. */
    private readonly runCheck: () => Promise<void>,
    private readonly options: { ttlMs: number; degradedLatencyMs: number; logger: Logger },
    initial: IntegrationStatus,
  ) {
    this.last = initial;
  }

  /** The last status as it stands, without checking. */
  get current(): IntegrationStatus {
    return { ...this.last };
  }

  /**
   * The last check's result when fresh, otherwise a new check (waited for at most `waitMs`;
   * a first check still running then is reported as degraded).
   */
  async status(options: { refresh?: boolean; waitMs?: number } = {}): Promise<IntegrationStatus> {
    const fresh =
      this.last.checkedAt !== null && Date.now() - this.last.checkedAt < this.options.ttlMs;
    if (fresh && options.refresh !== true) return this.current;
    const check = this.check();
    if (options.waitMs === undefined) return check;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<IntegrationStatus>((resolve) => {
      timer = setTimeout(() => {
        resolve(
          this.last.checkedAt !== null
            ? this.current
            : {
                state: "degraded",
                message: `status check still running after ${options.waitMs} ms`,
                missing: [],
                checkedAt: null,
                latencyMs: null,
              },
        );
      }, options.waitMs);
    });
    try {
      return await Promise.race([check, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Checks now (joining a check already running). */
  check(): Promise<IntegrationStatus> {
    this.running ??= this.checkOnce().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async checkOnce(): Promise<IntegrationStatus> {
    const started = Date.now();
    try {
      await this.runCheck();
      const latencyMs = Date.now() - started;
      const slow = latencyMs > this.options.degradedLatencyMs;
      this.lastError = undefined;
      this.last = {
        state: slow ? "degraded" : "healthy",
        message: slow
          ? `status check took ${latencyMs} ms (more than ${this.options.degradedLatencyMs} ms)`
          : "",
        missing: [],
        checkedAt: Date.now(),
        latencyMs,
      };
    } catch (thrown) {
      const error = thrown as AppError;
      this.lastError = error;
      this.last = {
        state: error.details.reason === "rate_limited" ? "degraded" : "down",
        message: error.message,
        missing: [],
        checkedAt: Date.now(),
        latencyMs: Date.now() - started,
      };
      this.options.logger.warn(
        { integration: this.integration, err: error.toJSON() },
        "integration check failed",
      );
    }
    return this.current;
  }
}
