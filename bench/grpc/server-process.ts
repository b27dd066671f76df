import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { isChildMessage } from "../../src/lifecycle/index.js";
import type { GrpcLibrary } from "./bench-server.js";
import { isCpuReport } from "./server-messages.js";

const SERVER_SCRIPT = fileURLToPath(new URL("./server-main.js", import.meta.url));

/** A benchmark server running in a child process. */
export class ServerProcess {
  private constructor(
    readonly library: GrpcLibrary,
    readonly address: string,
    private readonly child: ChildProcess,
  ) {}

  /** Forks the server for `library` and waits until it listens. */
  static async start(library: GrpcLibrary): Promise<ServerProcess> {
    const child = fork(SERVER_SCRIPT, [library], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.on("message", (message: unknown) => {
        if (!isChildMessage(message)) return;
        if (message.type === "ready") resolve(message.port);
        else reject(new Error(`${library} server failed to start: ${message.message}`));
      });
      child.once("exit", (code) => reject(new Error(`${library} server exited with code ${code}`)));
    });
    return new ServerProcess(library, `127.0.0.1:${port}`, child);
  }

  /** CPU time (user + system) the server process has used so far, in microseconds. */
  cpuMicros(): Promise<number> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if (!isCpuReport(message)) return;
        this.child.off("message", onMessage);
        this.child.off("exit", onExit);
        resolve(message.micros);
      };
      const onExit = (code: number | null) =>
        reject(new Error(`${this.library} server exited with code ${code}`));
      this.child.on("message", onMessage);
      this.child.once("exit", onExit);
      this.child.send({ type: "cpu?" });
    });
  }

  /** Disconnecting tells the server to close and exit; wait for it. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 3_000);
    await exited;
    clearTimeout(timer);
  }
}
