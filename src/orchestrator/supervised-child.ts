import { type ChildProcess, spawn } from "node:child_process";
import type { Config } from "../config/index.js";
import { isChildMessage } from "../lifecycle/index.js";
import type { Logger } from "../observability/index.js";
import { type ChildSpec, dialAddress } from "./child-spec.js";
import { childEnv } from "./child-env.js";
import { createHealthProbe, type HealthProbe } from "./health-probe.js";
import { HealthWatch } from "./health-watch.js";
import { pumpLines } from "./line-pump.js";
import { toLogRecord } from "./log-record.js";
import type { LogSink } from "./log-sink.js";
import type { ChildSnapshot } from "./child-snapshot.js";
import type { ProcessState } from "./process-state.js";
import { RestartBackoff } from "./restart-backoff.js";

/** How often a running child's health is checked. */
const HEALTH_INTERVAL_MS = 2_000;
/** Consecutive failed checks after which a running child is reported down. */
const DOWN_AFTER_FAILURES = 3;
/** Pause between readiness probes while a child starts. */
const READY_PROBE_PAUSE_MS = 100;

/** What a supervised child needs from the orchestrator. */
export interface SupervisedChildOptions {
  spec: ChildSpec;
  /** The CLI entry point the child runs (`<cli> run ...`). */
  cliPath: string;
  /** The configuration to hand the child, read at each (re)start. */
  config: () => Config;
  logSink: LogSink;
  /** The orchestrator's logger, for what happens to the child. */
  logger: Logger;
}

/**
 * One child process under supervision: spawned through `mcp-dist run`, ready once it has
 * said so over IPC and answers its health check, restarted with backoff when it exits on its
 * own, given up after too many crashes, and stopped with SIGTERM then SIGKILL.
 */
export class SupervisedChild {
  private child: ChildProcess | undefined;
  private state: ProcessState = "stopped";
  private port: number;
  private startedAtMs = 0;
  private restarts = 0;
  private lastExit = "";
  private message = "";
  /** What the current run said when it failed to start, if it did. */
  private failure = "";
  private stopRequested = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private startTimer: NodeJS.Timeout | undefined;
  private healthWatch: HealthWatch | undefined;
  /** One probe per run of the child, from its ready message until it ends. */
  private healthProbe: HealthProbe | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** Settles once the current run's stdout and stderr are read to their end. */
  private outputDone: Promise<void> = Promise.resolve();
  private settledWaiters: (() => void)[] = [];
  private readonly backoff: RestartBackoff;
  private readonly timing: Config["orchestrator"];

  constructor(private readonly options: SupervisedChildOptions) {
    const config = options.config();
    this.timing = config.orchestrator;
    this.port = options.spec.portIn(config);
    this.backoff = new RestartBackoff({
      initialDelayMs: this.timing.restartInitialDelayMs,
      maxDelayMs: this.timing.restartMaxDelayMs,
      stableAfterMs: this.timing.stableAfterMs,
      maxRestarts: this.timing.maxRestarts,
      windowMs: this.timing.restartWindowMs,
    });
  }

  get name(): string {
    return this.options.spec.name;
  }

  /** The port it listens on: the real one once it has been ready. */
  get listenPort(): number {
    return this.port;
  }

  get currentState(): ProcessState {
    return this.state;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Spawns the child; resolves once it is healthy, given up, or stopped. */
  start(): Promise<void> {
    this.stopRequested = false;
    this.spawnChild();
    return this.whenSettled();
  }

  /** Resolves once the child is healthy, given up or stopped (immediately if it is). */
  whenSettled(): Promise<void> {
    if (
      this.state === "healthy" ||
      this.state === "given up" ||
      this.state === "stopped" ||
      this.state === "down"
    ) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /**
   * No restart from now on: the system is stopping, and a child that exits before its turn
   * (it got the terminal's Ctrl-C itself, say) is stopped, not crashed.
   */
  holdRestarts(): void {
    this.stopRequested = true;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    if (this.state === "restarting") {
      this.state = "stopped";
      this.settle();
    }
  }

  /** SIGTERM, then SIGKILL after stopTimeoutMs; no restart follows. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.clearTimers();
    const child = this.child;
    if (!child) {
      if (this.state !== "given up") this.state = "stopped";
      this.settle();
      return;
    }
    this.state = "stopping";
    child.kill("SIGTERM");
    const timer = new Promise<"timeout">((resolve) =>
      setTimeout(() => resolve("timeout"), this.timing.stopTimeoutMs).unref(),
    );
    if ((await Promise.race([this.exited.then(() => "exited" as const), timer])) === "timeout") {
      this.options.logger.warn(
        { child: this.name, childPid: child.pid },
        `${this.name} did not stop within ${this.timing.stopTimeoutMs} ms; killing it`,
      );
      child.kill("SIGKILL");
      await this.exited;
    }
  }

  /** SIGKILL now (a forced shutdown); no restart follows. Resolves when it has exited. */
  async kill(): Promise<void> {
    this.stopRequested = true;
    this.clearTimers();
    this.child?.kill("SIGKILL");
    await this.exited;
  }

  /**
   * Resolves once everything the last run printed has been handed to the log sink (its lines
   * can still be in the pipe after it exited), or after `timeoutMs`: a grandchild that
   * inherited the pipe could hold it open forever.
   */
  outputDrained(timeoutMs: number): Promise<void> {
    return Promise.race([
      this.outputDone,
      new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ]);
  }

  snapshot(): ChildSnapshot {
    const { spec } = this.options;
    return {
      name: spec.name,
      component: spec.component,
      pid: this.child?.pid ?? 0,
      port: this.port,
      state: this.state,
      startedAtMs: this.startedAtMs,
      restarts: this.restarts,
      lastExit: this.lastExit,
      message: this.message,
    };
  }

  private spawnChild(): void {
    const { spec, cliPath, logSink, logger } = this.options;
    const config = spec.withPort(this.options.config(), this.port);
    this.state = "starting";
    this.failure = "";
    this.startedAtMs = Date.now();
    const child = spawn(process.execPath, [...process.execArgv, cliPath, "run", ...spec.args], {
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      env: childEnv(config),
    });
    this.child = child;
    let resolveExited: () => void = () => undefined;
    this.exited = new Promise((resolve) => (resolveExited = resolve));
    let ended = false;
    const onEnd = (code: number | null, signal: NodeJS.Signals | null, error?: Error) => {
      if (ended) return;
      ended = true;
      this.onExit(child, code, signal, error);
      resolveExited();
    };

    const pid = child.pid;
    const pumps = (["stdout", "stderr"] as const).map((stream) => {
      const readable = child[stream];
      if (!readable) return Promise.resolve();
      return pumpLines(readable, (line) =>
        logSink.write(toLogRecord(spec.name, pid, line, stream)),
      ).catch((error: unknown) =>
        logger.warn({ child: spec.name, err: error }, `reading ${spec.name}'s ${stream} failed`),
      );
    });
    this.outputDone = Promise.all(pumps).then(() => undefined);
    child.on("message", (message: unknown) => {
      if (!isChildMessage(message) || this.child !== child) return;
      if (message.type === "ready") void this.onReady(child, message.port);
      else this.failure = message.message;
    });
    child.on("exit", (code, signal) => onEnd(code, signal));
    // Spawning itself failed (no pid): "exit" may never come.
    child.on("error", (error) => {
      if (child.pid === undefined) onEnd(null, null, error);
    });
    logger.debug({ child: spec.name, childPid: pid, port: this.port }, `${spec.name} spawned`);

    this.startTimer = setTimeout(() => {
      if (this.child !== child || this.state !== "starting") return;
      this.failure = `not healthy within ${this.timing.startTimeoutMs} ms`;
      logger.error({ child: spec.name, childPid: pid }, `${spec.name} ${this.failure}; killing it`);
      child.kill("SIGKILL");
    }, this.timing.startTimeoutMs);
  }

  private async onReady(child: ChildProcess, port: number): Promise<void> {
    if (this.state !== "starting") return;
    // Pinned from now on, so a restart comes back where its dependants already dial it.
    this.port = port;
    const address = dialAddress(this.options.config().host, port);
    this.healthProbe?.close();
    const probe = createHealthProbe(this.options.spec.health, address);
    this.healthProbe = probe;
    while (this.child === child && this.state === "starting") {
      if (await probe.check(1_000)) {
        if (this.child === child && this.state === "starting") this.onHealthy(child);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, READY_PROBE_PAUSE_MS));
    }
  }

  private onHealthy(child: ChildProcess): void {
    clearTimeout(this.startTimer);
    this.state = "healthy";
    this.message = "";
    const { logger } = this.options;
    logger.info(
      { child: this.name, childPid: child.pid, port: this.port },
      `${this.name} is healthy`,
    );
    const probe = this.healthProbe;
    this.healthWatch = new HealthWatch({
      probe: async () => (probe ? probe.check(HEALTH_INTERVAL_MS) : false),
      intervalMs: HEALTH_INTERVAL_MS,
      downAfter: DOWN_AFTER_FAILURES,
      onChange: (up, failures) => {
        if (this.child !== child || (this.state !== "healthy" && this.state !== "down")) return;
        if (up) {
          this.state = "healthy";
          this.message = "";
          logger.info({ child: this.name, childPid: child.pid }, `${this.name} is healthy again`);
        } else {
          this.state = "down";
          this.message = `failed ${failures} health checks in a row`;
          logger.warn(
            { child: this.name, childPid: child.pid, port: this.port },
            `${this.name} is down: ${this.message}`,
          );
        }
      },
    });
    this.healthWatch.start();
    this.settle();
  }

  private onExit(
    child: ChildProcess,
    code: number | null,
    signal: NodeJS.Signals | null,
    error?: Error,
  ): void {
    if (this.child !== child) return;
    this.child = undefined;
    clearTimeout(this.startTimer);
    this.healthWatch?.close();
    this.healthProbe?.close();
    this.healthProbe = undefined;
    const { logger } = this.options;
    this.lastExit = error
      ? `spawn failed: ${error.message}`
      : signal
        ? `signal ${signal}`
        : `exit code ${code ?? "?"}`;
    const why = this.failure ? `${this.lastExit} (${this.failure})` : this.lastExit;
    if (this.stopRequested) {
      if (this.state !== "given up") this.state = "stopped";
      logger.info(
        { child: this.name, childPid: child.pid, lastExit: this.lastExit },
        `${this.name} stopped`,
      );
      this.settle();
      return;
    }
    const now = Date.now();
    const decision = this.backoff.onCrash(now, now - this.startedAtMs);
    if (decision.kind === "give_up") {
      this.state = "given up";
      this.message = `gave up after ${decision.crashesInWindow} crashes within ${this.timing.restartWindowMs} ms; last exit: ${why}`;
      logger.error(
        { child: this.name, childPid: child.pid, lastExit: this.lastExit, restarts: this.restarts },
        `${this.name} ${this.message}`,
      );
      this.settle();
      return;
    }
    this.state = "restarting";
    this.message = `exited (${why}); restarting in ${decision.delayMs} ms`;
    logger.warn(
      { child: this.name, childPid: child.pid, lastExit: this.lastExit, delayMs: decision.delayMs },
      `${this.name} ${this.message}`,
    );
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopRequested) return;
      this.restarts += 1;
      this.spawnChild();
    }, decision.delayMs);
  }

  private settle(): void {
    const waiters = this.settledWaiters;
    this.settledWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private clearTimers(): void {
    clearTimeout(this.restartTimer);
    clearTimeout(this.startTimer);
    this.healthWatch?.close();
    this.healthProbe?.close();
    this.healthProbe = undefined;
    this.restartTimer = undefined;
  }
}
