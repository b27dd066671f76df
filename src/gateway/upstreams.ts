import type { Config } from "../config/index.js";
import { coordinatorAddress } from "../config/index.js";
import { HealthClient } from "../gen/grpc/health/v1/health.js";
import { CoordinatorServiceClient } from "../gen/mcp/v1/coordinator.js";
import { MessageHubServiceClient } from "../gen/mcp/v1/hub.js";
import { EventServiceClient } from "../gen/mcp/v1/events.js";
import { IntegrationServiceClient } from "../gen/mcp/v1/integration.js";
import { KnowledgeServiceClient } from "../gen/mcp/v1/knowledge.js";
import { OrchestratorServiceClient } from "../gen/mcp/v1/orchestrator.js";
import {
  CLIENT_OPTIONS,
  insecure,
  type PromiseClient,
  promiseClient,
  STREAM_CLIENT_OPTIONS,
} from "../rpc/index.js";
import { namedUpstream } from "./named-upstream.js";

/** The longest the gateway waits for an optional service (orchestrator, integrations) or a health check. */
const SIDE_CALL_TIMEOUT_MS = 2_000;

/**
 * The gRPC services the gateway fronts. It keeps no state of its own: every request is a call
 * to one of these. Clients of one address share one connection (grpc-js pools subchannels).
 */
export class Upstreams {
  readonly coordinatorAddress: string;
  readonly integrationAddress: string;
  readonly orchestratorAddress: string;
  /** Deadline of calls whose failure only trims a response (processes, integrations in the status). */
  readonly sideCallTimeoutMs: number;
  /** Default deadline of an integration call (the integration service's own default). */
  readonly integrationCallTimeoutMs: number;
  readonly coordinator: PromiseClient<CoordinatorServiceClient>;
  readonly coordinatorHealth: PromiseClient<HealthClient>;
  /** The message hub, served by the coordinator. */
  readonly hub: PromiseClient<MessageHubServiceClient>;
  /** The knowledge base, served by the coordinator. */
  readonly knowledge: PromiseClient<KnowledgeServiceClient>;
  readonly integration: PromiseClient<IntegrationServiceClient>;
  readonly orchestrator: PromiseClient<OrchestratorServiceClient>;
  /**
   * The coordinator's live events: one long-lived Watch call per WebSocket client. Its own
   * connection (other channel options), so event traffic never queues in front of REST calls.
   */
  readonly events: EventServiceClient;
  private readonly clients: Array<{ close(): void }>;

  constructor(config: Config) {
    this.coordinatorAddress = coordinatorAddress(config);
    this.integrationAddress = `${config.host}:${config.ports.integration}`;
    this.orchestratorAddress = `${config.host}:${config.ports.orchestrator}`;
    const timeoutMs = config.gateway.requestTimeoutMs;
    const sideTimeoutMs = Math.min(timeoutMs, SIDE_CALL_TIMEOUT_MS);
    this.sideCallTimeoutMs = sideTimeoutMs;
    this.integrationCallTimeoutMs = config.integrations.callTimeoutMs;

    const coordinator = new CoordinatorServiceClient(
      this.coordinatorAddress,
      insecure(),
      CLIENT_OPTIONS,
    );
    const health = new HealthClient(this.coordinatorAddress, insecure(), CLIENT_OPTIONS);
    const knowledge = new KnowledgeServiceClient(
      this.coordinatorAddress,
      insecure(),
      CLIENT_OPTIONS,
    );
    const integration = new IntegrationServiceClient(
      this.integrationAddress,
      insecure(),
      CLIENT_OPTIONS,
    );
    const orchestrator = new OrchestratorServiceClient(
      this.orchestratorAddress,
      insecure(),
      CLIENT_OPTIONS,
    );
    const hub = new MessageHubServiceClient(this.coordinatorAddress, insecure(), CLIENT_OPTIONS);
    this.events = new EventServiceClient(
      this.coordinatorAddress,
      insecure(),
      STREAM_CLIENT_OPTIONS,
    );
    this.clients = [coordinator, health, hub, knowledge, integration, orchestrator, this.events];

    this.coordinator = namedUpstream(
      promiseClient(coordinator, timeoutMs),
      "coordinator",
      this.coordinatorAddress,
    );
    this.coordinatorHealth = namedUpstream(
      promiseClient(health, sideTimeoutMs),
      "coordinator",
      this.coordinatorAddress,
    );
    // A request waits for its response up to its own deadline (at most 7 days, though a
    // REST client gives up far sooner): the call's deadline comes from the request.
    this.hub = namedUpstream(promiseClient(hub, timeoutMs), "coordinator", this.coordinatorAddress);
    this.knowledge = namedUpstream(
      promiseClient(knowledge, timeoutMs),
      "coordinator",
      this.coordinatorAddress,
    );
    this.integration = namedUpstream(
      promiseClient(integration, timeoutMs),
      "integration service",
      this.integrationAddress,
    );
    this.orchestrator = namedUpstream(
      promiseClient(orchestrator, sideTimeoutMs),
      "orchestrator",
      this.orchestratorAddress,
    );
  }

  close(): void {
    for (const client of this.clients) client.close();
  }
}
