import { type Static, type TSchema, Type } from "@sinclair/typebox";
import { AGENT_TYPES, DEFAULT_CONCURRENCY, type AgentType } from "../domain/index.js";
import { literalUnion } from "../schemas/index.js";

const port = (defaultPort: number, description: string) =>
  Type.Integer({ minimum: 0, maximum: 65535, default: defaultPort, description });

const ms = (defaultMs: number, minimum: number, description: string) =>
  Type.Integer({ minimum, maximum: 86_400_000, default: defaultMs, description });

function perAgentType<S extends TSchema>(make: (type: AgentType) => S) {
  const props = Object.fromEntries(AGENT_TYPES.map((t) => [t, make(t)])) as Record<AgentType, S>;
  return Type.Object(props, { additionalProperties: false, default: {} });
}

const DEFAULT_AGENT_PORTS: Record<AgentType, number> = {
  manager: 50100,
  frontend: 50101,
  backend: 50102,
  database: 50103,
  devops: 50104,
  integration: 50105,
  qa: 50106,
};

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;

/** The whole configuration. Every field has a default; see the README's configuration table. */
export const ConfigSchema = Type.Object(
  {
    host: Type.String({
      minLength: 1,
      default: "127.0.0.1",
      description: "Address every server binds to and that processes use to reach each other.",
    }),
    dataDir: Type.String({ minLength: 1, default: "data", description: "Folder of the store." }),
    logDir: Type.String({
      minLength: 1,
      default: "logs",
      description: "Folder of mcp_system.log.",
    }),
    logLevel: literalUnion(LOG_LEVELS, {
      default: "info",
      description: "Least severe level logged.",
    }),
    ports: Type.Object(
      {
        gateway: port(8000, "REST gateway (HTTP)."),
        coordinator: port(50051, "Coordinator (gRPC)."),
        integration: port(50200, "Integration service (gRPC)."),
        orchestrator: port(50050, "Orchestrator control service (gRPC)."),
        agents: perAgentType((t) =>
          port(DEFAULT_AGENT_PORTS[t], `The ${t} agent's AgentService (gRPC).`),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    coordinator: Type.Object(
      {
        address: Type.String({
          default: "",
          description:
            "host:port of the coordinator for components run alone; empty means host and ports.coordinator.",
        }),
        leaseTtlMs: ms(30_000, 200, "How long an assignment lasts without a heartbeat."),
        heartbeatIntervalMs: ms(5_000, 50, "How often agents renew their leases."),
        maxAttempts: Type.Integer({
          minimum: 1,
          maximum: 100,
          default: 3,
          description: "Attempts a task gets by default.",
        }),
        retryBaseDelayMs: ms(1_000, 0, "Backoff before the second attempt; doubles each attempt."),
        retryMaxDelayMs: ms(60_000, 0, "Longest backoff between attempts."),
        sqliteSynchronous: literalUnion(["normal", "full"] as const, {
          default: "normal",
          description:
            "SQLite synchronous mode (WAL): normal survives process crashes, full also power loss.",
        }),
        idempotencyTtlMs: ms(86_400_000, 1_000, "How long an Idempotency-Key is remembered."),
      },
      { additionalProperties: false, default: {} },
    ),
    agents: Type.Object(
      {
        enabled: Type.Array(literalUnion(AGENT_TYPES), {
          default: [...AGENT_TYPES],
          uniqueItems: true,
          description: "Agent types the orchestrator starts.",
        }),
        concurrency: perAgentType((t) =>
          Type.Integer({
            minimum: 1,
            maximum: 1000,
            default: DEFAULT_CONCURRENCY[t],
            description: `Tasks a ${t} agent runs at once.`,
          }),
        ),
        commandTimeoutMs: ms(600_000, 100, "Default timeout of a command task."),
        outputLimitBytes: Type.Integer({
          minimum: 1024,
          maximum: 64 * 1024 * 1024,
          default: 1024 * 1024,
          description: "stdout and stderr kept per command, each.",
        }),
        shutdownGraceMs: ms(
          15_000,
          0,
          "How long a stopping agent lets running tasks finish before handing them back.",
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    gateway: Type.Object(
      {
        bodyLimitBytes: Type.Integer({
          minimum: 1024,
          maximum: 64 * 1024 * 1024,
          default: 1024 * 1024,
          description: "Largest request body accepted.",
        }),
        requestTimeoutMs: ms(15_000, 100, "Deadline of a gateway call to the coordinator."),
      },
      { additionalProperties: false, default: {} },
    ),
    events: Type.Object(
      {
        queueLimit: Type.Integer({
          minimum: 10,
          maximum: 1_000_000,
          default: 1_000,
          description:
            "Live events held for a watcher that reads too slowly; beyond it they are dropped and it is told how many.",
        }),
        stallTimeoutMs: ms(
          30_000,
          100,
          "How long a live-event watcher may take nothing while events wait before it is disconnected.",
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    integrations: Type.Object(
      {
        plugins: Type.Array(Type.String({ minLength: 1 }), {
          default: [],
          description:
            "Paths of your own integration plugin modules (see docs/plugins.md), relative to the working folder.",
        }),
        settings: Type.Record(
          Type.String({ pattern: "^[a-z][a-z0-9_-]*$" }),
          Type.Record(Type.String({ pattern: "^[A-Za-z][A-Za-z0-9_]*$" }), Type.String()),
          {
            default: {},
            description:
              'Config file only: settings per integration, e.g. {"slack": {"token": "..."}}; each overrides the integration\'s environment variable.',
          },
        ),
        callTimeoutMs: ms(30_000, 100, "Default deadline of an integration call."),
        maxCallTimeoutMs: ms(
          3_600_000,
          100,
          "Longest deadline a caller may ask for (a Jenkins build followed to its end).",
        ),
        retries: Type.Integer({
          minimum: 0,
          maximum: 10,
          default: 3,
          description: "Retries of a rate-limited (or, without side effects, unavailable) call.",
        }),
        retryMaxDelayMs: ms(10_000, 0, "Longest wait before a retry, whatever Retry-After asks."),
        statusTtlMs: ms(30_000, 0, "How long an integration's status check is reused."),
        degradedLatencyMs: ms(2_000, 1, "A status check slower than this reports degraded."),
        allowPrivateNetworks: Type.Boolean({
          default: false,
          description:
            "Let the generic HTTP integration reach loopback, private and link-local addresses (cloud metadata services only through allowedHosts).",
        }),
        allowedHosts: Type.Array(Type.String({ minLength: 1 }), {
          default: [],
          description:
            "Host names or addresses the generic HTTP integration may reach even when private.",
        }),
        idempotencyRetentionMs: ms(
          86_400_000,
          1_000,
          "How long the result of a side-effecting call is kept for its idempotency key.",
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    orchestrator: Type.Object(
      {
        restartInitialDelayMs: ms(
          500,
          0,
          "First restart delay of a crashed child; doubles per crash.",
        ),
        restartMaxDelayMs: ms(30_000, 0, "Longest restart delay."),
        stableAfterMs: ms(60_000, 0, "Uptime after which a child's restart delay resets."),
        maxRestarts: Type.Integer({
          minimum: 0,
          maximum: 1000,
          default: 5,
          description:
            "Crashes within restartWindowMs after which the orchestrator gives up on a child.",
        }),
        restartWindowMs: ms(120_000, 1_000, "Window in which crashes are counted."),
        startTimeoutMs: ms(30_000, 1_000, "How long a child may take to become healthy."),
        stopTimeoutMs: ms(30_000, 1_000, "How long a child may take to stop before it is killed."),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

/** The fully resolved configuration. */
export type Config = Static<typeof ConfigSchema>;

export type LogLevel = (typeof LOG_LEVELS)[number];
