import { AgentType, Priority, type TaskSpec } from "../../src/gen/mcp/v1/task.js";

/** A free-form task spec with defaults, for tests. */
export function freeform(title: string, extra: Partial<TaskSpec> = {}): TaskSpec {
  return {
    title,
    description: "",
    type: AgentType.AGENT_TYPE_BACKEND,
    priority: Priority.PRIORITY_MEDIUM,
    dependencies: [],
    requiredCapabilities: [],
    action: undefined,
    metadataJson: "",
    projectId: "",
    parentTaskId: "",
    maxAttempts: 0,
    ref: "",
    ...extra,
  };
}

/** A command task spec (argv, no shell). */
export function command(title: string, argv: string[], extra: Partial<TaskSpec> = {}): TaskSpec {
  return freeform(title, {
    action: { kind: { $case: "command", value: { argv, cwd: "", env: {}, timeoutMs: 0 } } },
    ...extra,
  });
}

export function noop(title: string, extra: Partial<TaskSpec> = {}): TaskSpec {
  return freeform(title, { action: { kind: { $case: "noop", value: {} } }, ...extra });
}
