import type { Executor } from "./executor.js";
import { taskFailure } from "./task-failure.js";

/**
 * The `noop` action: completes at once with a null output. It is a gate in graphs and the
 * unit of overhead benchmarks; it does nothing and claims nothing else.
 */
export function createNoopExecutor(): Executor {
  return {
    kind: "noop",
    execute: async (run) => {
      if (run.aborted)
        return taskFailure("cancelled", "the run was aborted before it started", false);
      return { output: null, error: null };
    },
  };
}
