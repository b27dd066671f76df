import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config/index.js";
import { AppError } from "../domain/index.js";
import { CoordinatorServiceService } from "../gen/mcp/v1/coordinator.js";
import { MessageHubServiceService } from "../gen/mcp/v1/hub.js";
import { KnowledgeServiceService } from "../gen/mcp/v1/knowledge.js";
import { EventServiceService } from "../gen/mcp/v1/events.js";
import type { RunningComponent } from "../lifecycle/index.js";
import type { Logger } from "../observability/index.js";
import { HealthImplementation, startGrpcServer } from "../rpc/index.js";
import { SqliteStore, type Store } from "../store/index.js";
import { AgentSessions } from "./agent-sessions.js";
import { CoordinatorMetrics } from "./coordinator-metrics.js";
import { createCoordinatorService } from "./coordinator-service.js";
import { settingsFromConfig } from "./coordinator-settings.js";
import { CoordinatorState } from "./coordinator-state.js";
import { EventBus } from "./event-bus.js";
import { EventPublisher } from "./event-publisher.js";
import { createEventService } from "./event-service.js";
import { GroupCommitter } from "./group-committer.js";
import { CollaborationBroker } from "./hub/collaboration-broker.js";
import { createHubService } from "./hub/hub-service.js";
import { MessageHub } from "./hub/message-hub.js";
import { Idempotency } from "./idempotency.js";
import { KnowledgeBase } from "./knowledge-base.js";
import { createKnowledgeService } from "./knowledge-service.js";
import { publishHubEvents } from "./hub/hub-events.js";
import { KnowledgeNotifier } from "./hub/knowledge-notifier.js";
import { LeaseSweeper } from "./lease-sweeper.js";
import { ProjectService } from "./project-service.js";
import { planIntegrationsFrom } from "./planner/index.js";
import { recover } from "./recovery.js";
import { Scheduler } from "./scheduler.js";
import { TaskIntake } from "./task-intake.js";
import { TaskOutcomes } from "./task-outcomes.js";
import { TaskQueries } from "./task-queries.js";
import { WorkerService } from "./worker-service.js";

export const COORDINATOR_SERVICE = "mcp.v1.CoordinatorService";
export const HUB_SERVICE = "mcp.v1.MessageHubService";
export const KNOWLEDGE_SERVICE = "mcp.v1.KnowledgeService";
export const EVENT_SERVICE = "mcp.v1.EventService";
const VERSION = "0.1.0";
const HEALTH_CHECK_MS = 2_000;
const IDEMPOTENCY_SWEEP_MS = 10 * 60_000;

export interface CoordinatorExtras {
  /** Called when the store fails under the coordinator; default: log and exit(1). */
  onFatal?: (error: unknown) => void;
  /** Where the planner reads which integrations are configured; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Starts the coordinator: opens the store in the data folder, rebuilds memory from it,
 * and serves CoordinatorService, MessageHubService, KnowledgeService, EventService (live
 * events) and grpc.health.v1.
 */
export async function startCoordinator(
  config: Config,
  logger: Logger,
  extras: CoordinatorExtras = {},
): Promise<RunningComponent> {
  const settings = settingsFromConfig(config);
  let store: Store;
  try {
    mkdirSync(config.dataDir, { recursive: true });
    store = await SqliteStore.open({
      path: join(config.dataDir, "mcp.db"),
      synchronous: config.coordinator.sqliteSynchronous,
    });
  } catch (error) {
    throw new AppError(
      "unavailable",
      `cannot open the store in ${config.dataDir}: ${AppError.from(error).message}`,
      {
        option: "dataDir",
      },
    );
  }
  const onFatal =
    extras.onFatal ??
    ((error: unknown) => {
      logger.fatal(
        { err: AppError.from(error).message },
        "store write failed; exiting so that recovery starts from the store",
      );
      logger.flush();
      process.exit(1);
    });

  let metrics: CoordinatorMetrics | null = null;
  const committer = new GroupCommitter(store, onFatal, (stats) => metrics?.onCommit(stats));
  const state = new CoordinatorState(settings, store, committer, logger, (ids) => {
    for (const id of ids) {
      const task = state.tasks.get(id);
      if (task && task.status === "pending") state.enqueue(task);
    }
    committer.schedule();
  });
  const scheduler = new Scheduler(state);
  const events = new EventBus({
    queueLimit: config.events.queueLimit,
    stallTimeoutMs: config.events.stallTimeoutMs,
  });
  metrics = new CoordinatorMetrics(state, events);
  state.observe(metrics);
  state.observe(new EventPublisher(events, committer));
  committer.beforeCommit(() => scheduler.dispatch());

  const report = await recover(state);
  await committer.durable();
  const hub = new MessageHub(state);
  await hub.start();
  const outcomes = new TaskOutcomes(state);
  const intake = new TaskIntake(state);
  const sessions = new AgentSessions(state, outcomes, hub);
  const idempotency = new Idempotency(state);
  const health = new HealthImplementation({
    "": true,
    [COORDINATOR_SERVICE]: true,
    [HUB_SERVICE]: true,
    [KNOWLEDGE_SERVICE]: true,
    [EVENT_SERVICE]: true,
  });
  const knowledge = new KnowledgeBase(state);
  const notifier = new KnowledgeNotifier(state, hub, knowledge);
  await notifier.start();
  publishHubEvents(events, hub, knowledge);
  const service = createCoordinatorService({
    state,
    intake,
    projects: new ProjectService(
      state,
      intake,
      planIntegrationsFrom(config, extras.env ?? process.env),
    ),
    queries: new TaskQueries(state),
    outcomes,
    workers: new WorkerService(state, scheduler, outcomes),
    sessions,
    idempotency,
    metrics,
    version: VERSION,
    startedAt: Date.now(),
  });
  const sweeper = new LeaseSweeper(state, outcomes);
  sweeper.start();
  const server = await startGrpcServer({
    host: config.host,
    port: config.ports.coordinator,
    health,
    services: [
      { definition: CoordinatorServiceService, implementation: service },
      {
        definition: MessageHubServiceService,
        implementation: createHubService(state, hub, new CollaborationBroker(state, hub)),
      },
      {
        definition: KnowledgeServiceService,
        implementation: createKnowledgeService(knowledge, notifier),
      },
      { definition: EventServiceService, implementation: createEventService(events, logger) },
    ],
  });

  const healthTimer = setInterval(() => {
    store.ping().then(
      () => setServing(true),
      (error: unknown) => {
        if (health.isServing())
          logger.error(
            { err: AppError.from(error).message },
            "store unreachable; reporting NOT_SERVING",
          );
        setServing(false);
      },
    );
  }, HEALTH_CHECK_MS);
  healthTimer.unref();
  const setServing = (serving: boolean) => {
    health.setServing("", serving);
    health.setServing(COORDINATOR_SERVICE, serving);
    health.setServing(HUB_SERVICE, serving);
    health.setServing(KNOWLEDGE_SERVICE, serving);
    health.setServing(EVENT_SERVICE, serving);
  };
  const idempotencyTimer = setInterval(
    () => void idempotency.expire().catch(() => undefined),
    IDEMPOTENCY_SWEEP_MS,
  );
  idempotencyTimer.unref();

  logger.info(
    { port: server.port, store: store.describe(), recovered: report },
    "coordinator listening",
  );

  let closing: Promise<void> | null = null;
  return {
    port: server.port,
    close: () => {
      closing ??= (async () => {
        clearInterval(healthTimer);
        clearInterval(idempotencyTimer);
        sweeper.close();
        hub.close();
        state.delayed.close();
        health.shutdown();
        sessions.closeAll("the coordinator is shutting down");
        events.close(new AppError("unavailable", "the coordinator is shutting down"));
        await server.close(2_000);
        await committer.close();
        await store.close();
        logger.info("coordinator stopped");
      })();
      return closing;
    },
  };
}
