import type { Logger } from "../../observability/index.js";

/**
 * The process group a command runs in (its leader was spawned detached, so the group id is
 * the leader's pid). Stopping it signals every member: the command and all it started.
 */
export class ProcessGroup {
  private escalation: NodeJS.Timeout | null = null;
  private terminating = false;

  constructor(
    private readonly pgid: number,
    private readonly killGraceMs: number,
    private readonly logger: Logger,
  ) {}

  /** SIGTERM to the whole group, then SIGKILL after the grace. Idempotent. */
  terminate(): void {
    if (this.terminating) return;
    this.terminating = true;
    if (!this.signal("SIGTERM")) return;
    this.escalation = setTimeout(() => {
      this.escalation = null;
      this.signal("SIGKILL");
    }, this.killGraceMs);
    // A straggler ignoring SIGTERM must not keep the agent process alive on its own.
    this.escalation.unref();
  }

  /** True while some member of the group still exists. */
  alive(): boolean {
    return this.signal(0);
  }

  /** Drops a pending SIGKILL once the group is empty, so a reused id is never signalled. */
  releaseIfEmpty(): void {
    if (this.escalation !== null && !this.alive()) {
      clearTimeout(this.escalation);
      this.escalation = null;
    }
  }

  /** Sends `signal` to the group; false when the group no longer exists. */
  private signal(signal: NodeJS.Signals | 0): boolean {
    try {
      process.kill(-this.pgid, signal);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ESRCH")
        this.logger.warn({ pgid: this.pgid, signal, code }, "cannot signal process group");
      return false;
    }
  }
}
