import { type ChildProcess, spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import type { CommandAction, JsonObject, TaskResult } from "../../domain/index.js";
import { BoundedOutput } from "./bounded-output.js";
import type { ExecutionContext, Executor } from "./executor.js";
import { ProcessGroup } from "./process-group.js";
import { type RunContextFile, writeRunContextFile } from "./run-context-file.js";
import { taskFailure } from "./task-failure.js";

export interface CommandExecutorOptions {
  /** Timeout of a command whose action sets none, in milliseconds. */
  defaultTimeoutMs: number;
  /** Bytes of stdout, and separately of stderr, kept per run (the head). */
  outputLimitBytes: number;
  /** Time between SIGTERM and SIGKILL of the process group. Default 2000 ms. */
  killGraceMs?: number;
}

const DEFAULT_KILL_GRACE_MS = 2_000;

/**
 * The `command` executor: runs argv directly (never through a shell, so shell
 * metacharacters are plain bytes) in a process group of its own, so that a timeout or an
 * abort kills everything the command started, grandchildren included.
 */
export function createCommandExecutor(options: CommandExecutorOptions): Executor {
  const killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  return {
    kind: "command",
    execute: async (run) => {
      const action = run.task.action;
      if (action?.kind !== "command") {
        return taskFailure("invalid_argument", `task ${run.task.id} has no command action`, false);
      }
      const program = action.argv[0];
      if (program === undefined || program === "") {
        return taskFailure(
          "invalid_argument",
          "command argv is empty: argv[0] must name the program",
          false,
        );
      }
      if (run.signal.aborted)
        return taskFailure("cancelled", "the run was aborted before the command started", false);
      if (action.cwd !== null) {
        const problem = await checkDirectory(action.cwd);
        if (problem !== null) return problem;
      }
      let context: RunContextFile;
      try {
        context = await writeRunContextFile(run);
      } catch (error) {
        return taskFailure(
          "unavailable",
          `cannot write the run's context file: ${(error as Error).message}`,
          true,
        );
      }
      try {
        if (run.signal.aborted)
          return taskFailure("cancelled", "the run was aborted before the command started", false);
        return await runCommand(run, action, program, context.env, {
          timeoutMs: action.timeoutMs ?? options.defaultTimeoutMs,
          outputLimitBytes: options.outputLimitBytes,
          killGraceMs,
        });
      } finally {
        await context.remove().catch(() => undefined);
      }
    },
  };
}

interface RunLimits {
  timeoutMs: number;
  outputLimitBytes: number;
  killGraceMs: number;
}

/** Why we stopped the process ourselves; null when it ended on its own. */
type Ending = "timeout" | "abort" | null;

function runCommand(
  run: ExecutionContext,
  action: CommandAction,
  program: string,
  contextEnv: Record<string, string>,
  limits: RunLimits,
): Promise<TaskResult> {
  const startedAt = performance.now();
  const stdout = new BoundedOutput(limits.outputLimitBytes);
  const stderr = new BoundedOutput(limits.outputLimitBytes);

  let child: ChildProcess;
  try {
    child = spawn(program, action.argv.slice(1), {
      shell: false,
      cwd: action.cwd ?? undefined,
      env: { ...process.env, ...contextEnv, ...action.env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    // Synchronous refusals are about the arguments themselves (e.g. a NUL byte in argv or env).
    return Promise.resolve(
      taskFailure(
        "invalid_argument",
        `cannot start ${JSON.stringify(program)}: ${(error as Error).message}`,
        false,
      ),
    );
  }
  run.logger.debug({ program, argc: action.argv.length, pid: child.pid }, "command started");

  return new Promise<TaskResult>((resolve) => {
    const group =
      child.pid === undefined ? null : new ProcessGroup(child.pid, limits.killGraceMs, run.logger);
    let ending: Ending = null;
    let spawnError: NodeJS.ErrnoException | null = null;
    let settled = false;

    const stop = (why: Exclude<Ending, null>) => {
      if (ending !== null || settled) return;
      ending = why;
      group?.terminate();
    };
    const timer = setTimeout(() => stop("timeout"), limits.timeoutMs);
    const onAbort = () => stop("abort");
    run.signal.addEventListener("abort", onAbort, { once: true });

    child.stdout?.on("data", (chunk: Buffer) => stdout.append(chunk));
    child.stderr?.on("data", (chunk: Buffer) => stderr.append(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      spawnError = error;
    });
    // The task's processes must not outlive it: whatever the leader left behind in its group
    // (a backgrounded child still holding the pipes, say) is stopped when the leader exits.
    child.on("exit", () => group?.terminate());
    child.on("close", (code: number | null, signal: NodeJS.Signals | null) => {
      settled = true;
      clearTimeout(timer);
      group?.releaseIfEmpty();
      run.signal.removeEventListener("abort", onAbort);
      const output: JsonObject = {
        exit_code: spawnError === null ? code : null,
        signal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        stdout_truncated: stdout.truncated,
        stderr_truncated: stderr.truncated,
        stdout_bytes: stdout.totalBytes,
        stderr_bytes: stderr.totalBytes,
        duration_ms: Math.round(performance.now() - startedAt),
      };
      resolve(
        classify({
          program,
          code,
          signal,
          ending,
          spawnError,
          timeoutMs: limits.timeoutMs,
          output,
        }),
      );
    });
  });
}

interface Outcome {
  program: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  ending: Ending;
  spawnError: NodeJS.ErrnoException | null;
  timeoutMs: number;
  output: JsonObject;
}

function classify(o: Outcome): TaskResult {
  const name = JSON.stringify(o.program);
  if (o.spawnError !== null) {
    switch (o.spawnError.code) {
      case "ENOENT":
        return taskFailure("not_found", `program ${name} was not found`, false, o.output);
      case "EACCES":
        return taskFailure(
          "permission_denied",
          `program ${name} cannot be executed: permission denied`,
          false,
          o.output,
        );
      default:
        return taskFailure(
          "internal",
          `cannot start ${name}: ${o.spawnError.message}`,
          true,
          o.output,
        );
    }
  }
  const how = o.signal === null ? "" : ` (process group stopped with ${o.signal})`;
  if (o.ending === "abort")
    return taskFailure("cancelled", `the run was cancelled${how}`, false, o.output);
  if (o.ending === "timeout") {
    return taskFailure(
      "deadline_exceeded",
      `command timed out after ${o.timeoutMs} ms${how}`,
      true,
      o.output,
    );
  }
  if (o.signal !== null)
    return taskFailure("internal", `command was killed by signal ${o.signal}`, true, o.output);
  if (o.code !== 0)
    return taskFailure("internal", `command exited with code ${o.code}`, true, o.output);
  return { output: o.output, error: null };
}

/** A missing working directory would otherwise surface as a misleading ENOENT about the program. */
async function checkDirectory(cwd: string): Promise<TaskResult | null> {
  try {
    const info = await stat(cwd);
    if (!info.isDirectory()) {
      return taskFailure(
        "invalid_argument",
        `working directory ${JSON.stringify(cwd)} is not a directory`,
        false,
      );
    }
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      return taskFailure(
        "not_found",
        `working directory ${JSON.stringify(cwd)} does not exist`,
        false,
      );
    if (code === "EACCES") {
      return taskFailure(
        "permission_denied",
        `working directory ${JSON.stringify(cwd)} is not accessible`,
        false,
      );
    }
    return taskFailure(
      "internal",
      `cannot inspect working directory ${JSON.stringify(cwd)}: ${(error as Error).message}`,
      true,
    );
  }
}
