import type { Config } from "../config/index.js";
import { AppError } from "../domain/index.js";
import type { Logger } from "../observability/index.js";
import { buildGatewayApp } from "./build-gateway-app.js";
import type { GatewayApp } from "./gateway-app.js";
import { GatewayMetrics } from "./gateway-metrics.js";
import { packageVersion } from "./package-version.js";
import { Upstreams } from "./upstreams.js";

/** The REST gateway: a stateless HTTP face over the coordinator's gRPC API. */
export class Gateway {
  private readonly upstreams: Upstreams;
  private readonly shutdown = new AbortController();
  private app: GatewayApp | null = null;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
  ) {
    this.upstreams = new Upstreams(config);
  }

  /** Listens on `config.host:config.ports.gateway`; returns the port bound. */
  async start(): Promise<number> {
    const { host, ports, gateway } = this.config;
    const app = await buildGatewayApp({
      logger: this.logger,
      bodyLimitBytes: gateway.bodyLimitBytes,
      upstreams: this.upstreams,
      metrics: new GatewayMetrics(),
      version: packageVersion(),
      startedAt: Date.now(),
      requestTimeoutMs: gateway.requestTimeoutMs,
      eventStallTimeoutMs: this.config.events.stallTimeoutMs,
      shutdown: this.shutdown.signal,
    });
    this.app = app;
    try {
      await app.listen({ host, port: ports.gateway });
    } catch (error) {
      await this.close();
      throw new AppError(
        "unavailable",
        `gateway cannot listen on ${host}:${ports.gateway}: ${AppError.from(error).message}`,
        {
          port: ports.gateway,
        },
      );
    }
    const address = app.server.address();
    const port = typeof address === "object" && address !== null ? address.port : ports.gateway;
    this.logger.info(
      { host, port, coordinator: this.upstreams.coordinatorAddress },
      "gateway listening",
    );
    return port;
  }

  /** Stops accepting requests, ends long polls, lets other running requests finish, then drops the gRPC channels. */
  async close(): Promise<void> {
    this.shutdown.abort();
    const app = this.app;
    this.app = null;
    if (app !== null) await app.close();
    this.upstreams.close();
  }
}
