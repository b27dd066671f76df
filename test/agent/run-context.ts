import { readFile } from "node:fs/promises";
import type { CommandAction } from "../../src/domain/index.js";
import type { ExecutionContext, ExecutionTask } from "../../src/agent/index.js";
import { createLogger } from "../../src/observability/index.js";

export const silentLogger = createLogger({ process: "agent-test", level: "silent" });

/** A task carrying a command action built from `argv` and the given fields. */
export function commandTask(
  argv: string[],
  action: Partial<Omit<CommandAction, "kind" | "argv">> = {},
): ExecutionTask {
  return {
    id: "task_test",
    title: "test command",
    description: "",
    type: null,
    priority: "medium",
    action: { kind: "command", argv, cwd: null, env: {}, timeoutMs: null, ...action },
    requiredCapabilities: [],
    metadata: {},
    projectId: null,
  };
}

/** A run context for `task`; progress reports are collected in `progress`. */
export function runContext(
  task: ExecutionTask,
  signal: AbortSignal = new AbortController().signal,
) {
  const progress: Array<{ percent: number; message: string }> = [];
  const context: ExecutionContext = {
    task,
    attempt: 1,
    signal,
    get aborted() {
      return signal.aborted;
    },
    logger: silentLogger,
    reportProgress: (percent, message) => progress.push({ percent, message }),
    messages: () => [],
    knowledge: () => Promise.resolve([]),
  };
  return { context, progress };
}

/** False once `pid` has exited (a zombie awaiting its reaper counts as exited). */
export async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Polls `check` until it holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}
