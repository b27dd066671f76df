import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Config, coordinatorAddress } from "../config/index.js";
import { AppError } from "../domain/index.js";
import {
  type GetProcessesResponse,
  OrchestratorServiceService,
  type ProcessStatus,
} from "../gen/mcp/v1/orchestrator.js";
import type { Logger } from "../observability/index.js";
import { checkGrpcHealth, type RunningGrpcServer, startGrpcServer } from "../rpc/index.js";
import { type ChildSpec, dialAddress, planChildren, stopOrder } from "./child-spec.js";
import { LogSink } from "./log-sink.js";
import { createOrchestratorService } from "./orchestrator-service.js";
import { processStateToWire } from "./process-state.js";
import { ResourceSampler } from "./resource-sampler.js";
import { isProcessAlive, readStateFile, removeStateFile, writeStateFile } from "./state-file.js";
import { SupervisedChild } from "./supervised-child.js";

/** The system log's file name inside the log folder. */
export const SYSTEM_LOG_FILE = "mcp_system.log";

/** Options beyond the configuration. */
export interface OrchestratorOptions {
  /**
   * Where every process's records go. Pass the sink the orchestrator's own logger writes to;
   * when absent, one is opened on `<logDir>/mcp_system.log` echoing to stdout.
   */
  logSink?: LogSink;
  /** The CLI entry point children run. Default: the built CLI beside this module. */
  cliPath?: string;
}

/**
 * Runs the whole system as child processes: starts them group by group, each group once the
 * one before is healthy, supervises them, reports them over OrchestratorService, files their
 * logs, and stops them in reverse order.
 */
export class Orchestrator {
  private readonly groups: ChildSpec[][];
  private readonly children: SupervisedChild[] = [];
  private readonly byName = new Map<string, SupervisedChild>();
  private readonly sampler: ResourceSampler;
  private readonly ownsSink: boolean;
  private readonly sink: LogSink;
  private readonly cliPath: string;
  private server: RunningGrpcServer | undefined;
  private coordinatorAddress: string;
  private integrationPort: number | undefined;
  private readonly startedAtMs = Date.now();
  private closing = false;
  private stopped: Promise<void> | undefined;

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    options: OrchestratorOptions = {},
  ) {
    this.groups = planChildren(config);
    this.coordinatorAddress = coordinatorAddress(config);
    this.ownsSink = options.logSink === undefined;
    this.sink = options.logSink ?? new LogSink({ file: join(config.logDir, SYSTEM_LOG_FILE) });
    this.cliPath = options.cliPath ?? fileURLToPath(new URL("../cli/main.js", import.meta.url));
    this.sampler = new ResourceSampler(() => [
      process.pid,
      ...this.children.flatMap((c) => (c.pid ? [c.pid] : [])),
    ]);
  }

  /** The port of the control service (OrchestratorService + health). */
  get port(): number {
    return this.server?.port ?? 0;
  }

  /** Starts the control service, then every child group by group. */
  async start(): Promise<void> {
    await this.refuseIfAnotherRuns();
    await mkdir(this.config.dataDir, { recursive: true });
    if (this.ownsSink) await this.sink.start();
    this.server = await startGrpcServer({
      host: this.config.host,
      port: this.config.ports.orchestrator,
      services: [
        {
          definition: OrchestratorServiceService,
          implementation: createOrchestratorService(() => this.processes()),
        },
      ],
    });
    this.sampler.start();
    // Written now rather than once all is up, so that `mcp-dist status` can show a slow or
    // failing start while it happens.
    await this.writeState(false);
    this.logger.info(
      { port: this.server.port, dataDir: this.config.dataDir, logDir: this.config.logDir },
      "orchestrator starting the system",
    );

    for (const group of this.groups) {
      const started = group.map((spec) => this.add(spec));
      await Promise.all(started.map((child) => child.start()));
      if (this.closing) return;
      const coordinator = started.find((c) => c.name === "coordinator");
      if (coordinator)
        this.coordinatorAddress = dialAddress(this.config.host, coordinator.listenPort);
      const integration = started.find((c) => c.name === "integration");
      if (integration) this.integrationPort = integration.listenPort;
    }
    await this.announce();
  }

  /** Graceful stop: children in reverse order (SIGTERM, then SIGKILL after stopTimeoutMs). */
  close(): Promise<void> {
    this.stopped ??= this.shutdown(async (group) => {
      await Promise.all(group.map((c) => c.stop()));
    });
    return this.stopped;
  }

  /** Forced stop (a second signal): SIGKILL to every child at once. */
  async forceClose(): Promise<void> {
    this.closing = true;
    if (this.children.some((c) => c.pid !== undefined))
      this.logger.warn("forced stop: killing every child");
    await Promise.all(this.children.map((c) => c.kill()));
    await this.close();
  }

  /** Every child plus the orchestrator itself, as OrchestratorService reports them. */
  processes(): GetProcessesResponse {
    const now = Date.now();
    const self = this.sampler.usage(process.pid);
    const own: ProcessStatus = {
      name: "orchestrator",
      component: "orchestrator",
      pid: process.pid,
      port: this.port,
      state: processStateToWire(this.closing ? "stopping" : "healthy"),
      startedAtMs: this.startedAtMs,
      uptimeMs: now - this.startedAtMs,
      restarts: 0,
      cpuPercent: self?.cpuPercent ?? 0,
      rssBytes: self?.rssBytes ?? process.memoryUsage.rss(),
      lastExit: "",
      message: "",
    };
    const children = this.children.map((child): ProcessStatus => {
      const s = child.snapshot();
      const usage = s.pid ? this.sampler.usage(s.pid) : undefined;
      const running = s.pid !== 0;
      return {
        ...s,
        state: processStateToWire(s.state),
        uptimeMs: running && s.startedAtMs ? now - s.startedAtMs : 0,
        cpuPercent: usage?.cpuPercent ?? 0,
        rssBytes: usage?.rssBytes ?? 0,
      };
    });
    return { processes: [own, ...children], startedAtMs: this.startedAtMs };
  }

  private add(spec: ChildSpec): SupervisedChild {
    const child = new SupervisedChild({
      spec,
      cliPath: this.cliPath,
      // Children started later learn where the earlier ones really listen (ports may be 0).
      config: () => ({
        ...this.config,
        ports: {
          ...this.config.ports,
          orchestrator: this.port,
          integration: this.integrationPort ?? this.config.ports.integration,
        },
        coordinator: { ...this.config.coordinator, address: this.coordinatorAddress },
      }),
      logSink: this.sink,
      logger: this.logger,
    });
    this.children.push(child);
    this.byName.set(spec.name, child);
    return child;
  }

  /** Marks the state file ready and says, in one line, where everything listens. */
  private async announce(): Promise<void> {
    const gatewayUrl = await this.writeState(true);
    const ports = Object.fromEntries(this.children.map((c) => [c.name, c.listenPort]));
    const list = this.children.map((c) => `${c.name} :${c.listenPort}`).join(", ");
    const givenUp = this.children.filter((c) => c.currentState === "given up").map((c) => c.name);
    const text = `system ready: gateway ${gatewayUrl || "(not running)"}; ${list}; orchestrator :${this.port}`;
    if (givenUp.length === 0)
      this.logger.info({ gatewayUrl, ports, orchestratorPort: this.port }, text);
    else
      this.logger.error({ gatewayUrl, ports, givenUp }, `${text}; given up: ${givenUp.join(", ")}`);
  }

  /** Writes the state file; returns the gateway URL it holds. */
  private async writeState(ready: boolean): Promise<string> {
    const gateway = this.byName.get("gateway");
    const gatewayUrl =
      gateway && gateway.currentState !== "given up"
        ? `http://${dialAddress(this.config.host, gateway.listenPort)}`
        : "";
    if (!this.closing) {
      await writeStateFile(this.config.dataDir, {
        pid: process.pid,
        controlAddress: dialAddress(this.config.host, this.port),
        gatewayUrl,
        startedAt: new Date(this.startedAtMs).toISOString(),
        ready,
      });
    }
    return gatewayUrl;
  }

  private async shutdown(stopGroup: (group: SupervisedChild[]) => Promise<void>): Promise<void> {
    this.closing = true;
    this.logger.info("stopping the system");
    for (const child of this.children) child.holdRestarts();
    for (const specs of stopOrder(this.groups)) {
      const group = specs.flatMap((s) => this.byName.get(s.name) ?? []);
      if (group.length > 0) await stopGroup(group);
    }
    await Promise.all(this.children.map((c) => c.outputDrained(2_000)));
    this.sampler.close();
    await this.server?.close(1_000);
    await removeStateFile(this.config.dataDir, process.pid);
    this.logger.info("system stopped");
    if (this.ownsSink) await this.sink.close();
  }

  /** Two orchestrators on one data folder would share (and fight over) one store. */
  private async refuseIfAnotherRuns(): Promise<void> {
    const other = await readStateFile(this.config.dataDir);
    if (!other || other.pid === process.pid || !isProcessAlive(other.pid)) return;
    if (!(await checkGrpcHealth(other.controlAddress, 2_000))) return;
    throw new AppError(
      "failed_precondition",
      `another orchestrator (pid ${other.pid}) is running on data dir ${this.config.dataDir}; stop it or use another --data-dir`,
      { pid: other.pid },
    );
  }
}
