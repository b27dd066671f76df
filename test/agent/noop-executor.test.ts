import { describe, expect, it } from "vitest";
import { createNoopExecutor } from "../../src/agent/index.js";
import type { ExecutionTask } from "../../src/agent/index.js";
import { runContext } from "./run-context.js";

const gate: ExecutionTask = {
  id: "task_gate",
  title: "milestone",
  description: "",
  type: null,
  priority: "high",
  action: { kind: "noop" },
  requiredCapabilities: [],
  metadata: {},
  projectId: null,
};

describe("noop executor", () => {
  it("completes at once with a null output and reports no progress", async () => {
    const { context, progress } = runContext(gate);
    const executor = createNoopExecutor();
    expect(executor.kind).toBe("noop");
    expect(await executor.execute(context)).toEqual({ output: null, error: null });
    expect(progress).toEqual([]);
  });

  it("reports cancelled when the run was aborted before it started", async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await createNoopExecutor().execute(runContext(gate, controller.signal).context);
    expect(result.error).toMatchObject({ code: "cancelled", retryable: false });
  });
});
