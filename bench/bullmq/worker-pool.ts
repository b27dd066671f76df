import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { AppError } from "../../src/domain/index.js";
import { type FromWorker, isFromWorker, type ToWorker } from "./worker-messages.js";

const WORKER_SCRIPT = fileURLToPath(new URL("./worker-main.js", import.meta.url));

/** What the pool reports to its owner while it runs. */
export interface WorkerPoolEvents {
  /** Completed-job records from one worker (see `FromWorker`). */
  onRecords(records: number[]): void;
  /** A worker failed: a job failed, the worker errored, or it exited before being told to. */
  onFailure(error: AppError): void;
}

/** BullMQ worker processes forked for one drain run. */
export class WorkerPool {
  private readonly children: ChildProcess[] = [];
  private readonly ready: Array<Promise<void>> = [];
  private readonly stopped: Array<Promise<number>> = [];

  constructor(private readonly events: WorkerPoolEvents) {}

  /** Forks `count` workers and tells each to consume the queue. */
  start(count: number, start: Extract<ToWorker, { type: "start" }>): void {
    for (let i = 0; i < count; i += 1) this.forkOne(i, start);
  }

  /** Resolves once every worker consumes the queue. */
  async waitUntilReady(): Promise<void> {
    await Promise.all(this.ready);
  }

  /** Tells every worker to close and resolves with each one's peak RSS in bytes. */
  stop(): Promise<number[]> {
    for (const child of this.children) send(child, { type: "stop" });
    return Promise.all(this.stopped);
  }

  /** PIDs of the forked workers (to read their CPU time). */
  pids(): number[] {
    return this.children.flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
  }

  /** Kills whatever still runs (after a failure, or as a last resort). */
  kill(): void {
    for (const child of this.children) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  }

  private forkOne(index: number, start: Extract<ToWorker, { type: "start" }>): void {
    const child = fork(WORKER_SCRIPT, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.children.push(child);
    let onReady: () => void = () => undefined;
    let onStopped: (peakRssBytes: number) => void = () => undefined;
    this.ready.push(new Promise((resolve) => (onReady = resolve)));
    this.stopped.push(new Promise((resolve) => (onStopped = resolve)));
    let stopReported = false;
    const handle = (message: FromWorker) => {
      switch (message.type) {
        case "ready":
          onReady();
          break;
        case "completed":
          this.events.onRecords(message.records);
          break;
        case "stopped":
          stopReported = true;
          onStopped(message.peakRssBytes);
          break;
        case "error":
          this.events.onFailure(
            new AppError("internal", `BullMQ worker ${index}: ${message.message}`),
          );
          break;
      }
    };
    child.on("message", (message: unknown) => {
      if (isFromWorker(message)) handle(message);
    });
    child.on("exit", (code, signal) => {
      const check = () => {
        if (stopReported) return;
        const message = `BullMQ worker ${index} exited early (code ${code}, signal ${signal})`;
        this.events.onFailure(new AppError("internal", message));
      };
      // "exit" can come before the last IPC messages are read; "disconnect" comes after them.
      if (child.connected) child.once("disconnect", check);
      else check();
    });
    send(child, start);
  }
}

function send(child: ChildProcess, message: ToWorker): void {
  child.send(message);
}
