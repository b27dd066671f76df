import type {
  AgentRecord,
  KnowledgeEntryRecord,
  ProjectRecord,
  TaskEventRecord,
  TaskRecord,
} from "../../src/domain/index.js";
import type { IdempotencyRecord } from "../../src/store/index.js";

const T0 = 1_700_000_000_000;

/** A pending task with every optional field empty or null; `seq` also names it. */
export function makeTask(seq: number, overrides: Partial<TaskRecord> = {}): TaskRecord {
  return {
    id: `task_${seq}`,
    seq,
    title: `task ${seq}`,
    description: "",
    type: null,
    priority: "medium",
    status: "pending",
    dependencies: [],
    requiredCapabilities: [],
    action: null,
    metadata: {},
    projectId: null,
    parentId: null,
    attempt: 0,
    maxAttempts: 3,
    failedAttempts: 0,
    agentId: null,
    leaseToken: null,
    statusReason: "",
    result: null,
    progress: null,
    createdAt: T0 + seq,
    updatedAt: T0 + seq,
    startedAt: null,
    finishedAt: null,
    notBefore: null,
    leaseExpiresAt: null,
    ...overrides,
  };
}

/** A task with every field set, nested JSON included, that has failed once. */
export function makeRichTask(seq: number, overrides: Partial<TaskRecord> = {}): TaskRecord {
  return makeTask(seq, {
    title: `rich "task" ${seq} — ünïcode ✓`,
    description: "line one\nline two\ttabbed 'quoted' \\ backslash",
    type: "backend",
    priority: "critical",
    status: "in_progress",
    dependencies: ["task_a", "task_b"],
    requiredCapabilities: ["api_design", "nodejs"],
    action: {
      kind: "command",
      argv: ["node", "-e", "process.exit(0)", "$HOME; rm -rf /"],
      cwd: "/srv/work",
      env: { NODE_ENV: "test", EMPTY: "" },
      timeoutMs: 30_000,
    },
    metadata: {
      nested: { list: [1, 2.5, -3, null, true, "x"], deep: { empty: {}, none: [] } },
      n: 0,
    },
    projectId: "proj_1",
    attempt: 2,
    maxAttempts: 5,
    failedAttempts: 1,
    agentId: "backend-1",
    leaseToken: "lease-token-1",
    statusReason: "running on backend-1",
    result: {
      output: { partial: [1, 2, 3] },
      error: { code: "deadline_exceeded", message: "attempt 1 timed out", retryable: true },
    },
    progress: { percent: 42.5, message: "halfway", updatedAt: T0 + 5_000 },
    startedAt: T0 + 1_000,
    finishedAt: null,
    notBefore: T0 + 500,
    leaseExpiresAt: T0 + 61_000,
    ...overrides,
  });
}

export function makeEvent(
  taskId: string,
  n: number,
  overrides: Partial<TaskEventRecord> = {},
): TaskEventRecord {
  return {
    taskId,
    at: T0 + n,
    from: n === 0 ? null : "pending",
    to: n === 0 ? "pending" : "assigned",
    actor: n === 0 ? "client" : "coordinator",
    reason: `event ${n}`,
    attempt: n,
    details: n === 0 ? null : { routed_to: "backend-1", score: n, why: ["capability", "load"] },
    ...overrides,
  };
}

export function makeProject(seq: number, overrides: Partial<ProjectRecord> = {}): ProjectRecord {
  return {
    id: `proj_${seq}`,
    seq,
    name: `project ${seq}`,
    description: "a project",
    requirements: "build it",
    techStack: { backend: "nodejs", database: "postgresql" },
    priority: "high",
    template: "api_service",
    metadata: { owner: "team", tags: ["a", "b"] },
    createdAt: T0 + seq,
    ...overrides,
  };
}

export function makeAgent(n: number, overrides: Partial<AgentRecord> = {}): AgentRecord {
  return {
    id: `backend-${n}`,
    name: `Backend ${n}`,
    type: "backend",
    capabilities: ["api_design", "nodejs"],
    executors: ["command", "noop"],
    maxConcurrency: 5,
    transport: "stream",
    address: `127.0.0.1:${50_100 + n}`,
    host: "localhost",
    pid: 1000 + n,
    registeredAt: T0 + n,
    lastSeenAt: T0 + n,
    state: "online",
    completedCount: 0,
    failedCount: 0,
    ...overrides,
  };
}

export function makeIdempotency(
  key: string,
  createdAt: number,
  overrides: Partial<IdempotencyRecord> = {},
): IdempotencyRecord {
  return {
    scope: "create_tasks",
    key,
    fingerprint: `fp-${key}`,
    response: JSON.stringify({ task_ids: [`task_for_${key}`] }),
    createdAt,
    ...overrides,
  };
}

/** Version 1 of a global knowledge entry; `n` names it. */
export function makeKnowledge(
  n: number,
  overrides: Partial<KnowledgeEntryRecord> = {},
): KnowledgeEntryRecord {
  return {
    id: `kn_${n}`,
    version: 1,
    title: `note ${n}`,
    content: `what was learned, number ${n}`,
    tags: [],
    scope: "global",
    scopeId: null,
    author: "alice",
    createdAt: T0 + n,
    updatedAt: T0 + n,
    ...overrides,
  };
}

/** The next version of `entry`, written later, with `changes`. */
export function nextVersion(
  entry: KnowledgeEntryRecord,
  changes: Partial<KnowledgeEntryRecord> = {},
): KnowledgeEntryRecord {
  return { ...entry, version: entry.version + 1, updatedAt: entry.updatedAt + 1_000, ...changes };
}
