import type {
  ExecutorKind,
  KnowledgeEntryRecord,
  MessageRecord,
  TaskRecord,
  TaskResult,
} from "../../domain/index.js";
import type { Logger } from "../../observability/index.js";

/**
 * The task as an executor sees it: the domain's shape, decoded once from the wire, holding
 * only what describes the work (not the coordinator's bookkeeping such as leases).
 */
export type ExecutionTask = Pick<
  TaskRecord,
  | "id"
  | "title"
  | "description"
  | "type"
  | "priority"
  | "action"
  | "requiredCapabilities"
  | "metadata"
  | "projectId"
>;

/** Everything one run of one attempt gets. */
export interface ExecutionContext {
  readonly task: ExecutionTask;
  /** The attempt (fencing token) this run belongs to; side effects should carry it in their idempotency key. */
  readonly attempt: number;
  /** Aborted when the run must stop (cancelled, abandoned, or the agent shutting down). */
  readonly signal: AbortSignal;
  /** Whether `signal` is aborted, without making the signal (which costs an AbortController per run). */
  readonly aborted: boolean;
  /** Tells the coordinator how far along the run is; cheap to call often (reports are coalesced). */
  reportProgress(percent: number, message: string): void;
  /** Tagged with the task id and attempt. */
  readonly logger: Logger;
  /** Messages the agent has received about this task so far, oldest first. */
  messages(): readonly MessageRecord[];
  /** The newest knowledge entries about this task and its project ([] when unreachable). */
  knowledge(): Promise<readonly KnowledgeEntryRecord[]>;
}

/**
 * Turns a task into work. `execute` never throws and never rejects: every failure is a
 * TaskResult whose `error` carries a code, a clear message, and whether a retry may help.
 */
export interface Executor {
  readonly kind: ExecutorKind;
  execute(run: ExecutionContext): Promise<TaskResult>;
}
