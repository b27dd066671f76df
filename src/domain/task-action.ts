import type { JsonObject } from "./json.js";

/**
 * What an executor does for a task. A task without an action is free-form work, done by an
 * agent that declares the `freeform` executor (a person, a script, later a language model).
 */
export type TaskAction = CommandAction | NoopAction | IntegrationAction;

/** Runs a program with argv (never through a shell). */
export interface CommandAction {
  kind: "command";
  /** argv[0] is looked up on PATH. */
  argv: string[];
  /** Working directory; null means the agent's own. */
  cwd: string | null;
  /** Added to the agent's environment. */
  env: Record<string, string>;
  /** Null means the agent's default. */
  timeoutMs: number | null;
}

/** Completes as soon as it runs: a milestone in a graph, or the unit of overhead benchmarks. */
export interface NoopAction {
  kind: "noop";
}

/**
 * Calls an operation of the integration service (Slack, GitHub, AWS, Jenkins, ...). The
 * task's result is the operation's result; a retried task reuses its idempotency key, so a
 * side effect that already happened is not repeated.
 */
export interface IntegrationAction {
  kind: "integration";
  /** e.g. "slack". */
  integration: string;
  /** Sub-service (AWS: ec2, s3, lambda); null when the integration has none. */
  service: string | null;
  operation: string;
  parameters: JsonObject;
  /** Null means the integration service's default. */
  timeoutMs: number | null;
}

/** Kinds of work an executor can take on. */
export const EXECUTOR_KINDS = ["command", "noop", "integration", "freeform"] as const;

export type ExecutorKind = (typeof EXECUTOR_KINDS)[number];

export function isExecutorKind(value: unknown): value is ExecutorKind {
  return typeof value === "string" && (EXECUTOR_KINDS as readonly string[]).includes(value);
}

/** The executor a task needs: its action's kind, or `freeform` when it has none. */
export function executorKindOf(action: TaskAction | null): ExecutorKind {
  return action === null ? "freeform" : action.kind;
}
