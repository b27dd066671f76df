import { type ChildProcess, execFile, spawn, type SpawnOptions } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** The built CLI (run `npm run build` first). */
export const CLI = resolve(import.meta.dirname, "../../dist/src/cli/main.js");

/** Environment for spawned CLIs: ours without any MCP_DIST_* setting that could leak in. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!key.startsWith("MCP_DIST_")) env[key] = value;
  return { ...env, ...extra };
}

/**
 * A CLI process under test, leader of its own process group so that cleanup can kill it and
 * everything it started in one go, whatever state the test left it in.
 */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = "";
  stderr = "";
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private static readonly started = new Set<CliProcess>();

  constructor(args: string[], options: SpawnOptions = {}) {
    this.child = spawn(process.execPath, [CLI, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: cleanEnv(),
      detached: true,
      ...options,
    });
    this.child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (this.stdout += chunk));
    this.child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) =>
      this.child.on("exit", (code, signal) => resolve({ code, signal })),
    );
    CliProcess.started.add(this);
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** Waits until stdout has a line matching `pattern`; rejects on exit or after `timeoutMs`. */
  async waitForOutput(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.stdout.split("\n").find((l) => pattern.test(l));
      if (line !== undefined) return line;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(
          `process exited before printing ${pattern}; stdout:\n${this.stdout}\nstderr:\n${this.stderr}`,
        );
      }
      if (Date.now() > deadline)
        throw new Error(
          `no ${pattern} within ${timeoutMs} ms; stdout:\n${this.stdout}\nstderr:\n${this.stderr}`,
        );
      await sleep(50);
    }
  }

  /** SIGKILL to the whole process group (the CLI and every child it spawned). */
  killGroup(): void {
    try {
      process.kill(-this.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }

  /**
   * Kills every CLI process started so far with its whole group: also the groups whose
   * leader has exited, where children it left behind would still be. Call in afterEach/afterAll.
   */
  static async killAll(): Promise<void> {
    const all = [...CliProcess.started];
    CliProcess.started.clear();
    for (const p of all) p.killGroup();
    await Promise.all(all.map((p) => p.exited));
  }
}

/** Runs the CLI to completion. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = cleanEnv(),
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a value, or throws the last reason after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ""}`,
      );
    await sleep(200);
  }
}

/** A fresh temp folder, and a function that removes it. */
export async function tempDir(
  prefix: string,
): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Whether a process exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
