import { collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { ProcessState, type ProcessStatus } from "../gen/mcp/v1/orchestrator.js";

/** Every metric of the gateway's own carries this prefix, so none collides with the coordinator's. */
export const GATEWAY_METRIC_PREFIX = "mcp_gateway_";

/**
 * The gateway's Prometheus metrics, in a registry of its own (not prom-client's global one, so
 * that several gateways in one process, as in tests, do not clash).
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requestDuration: Histogram<"method" | "route" | "status_code">;
  private readonly coordinatorUp: Gauge;
  private readonly processGauges: Record<
    "cpu" | "rss" | "restarts" | "healthy",
    Gauge<"process" | "component">
  >;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: GATEWAY_METRIC_PREFIX });
    this.requestDuration = new Histogram({
      name: `${GATEWAY_METRIC_PREFIX}http_request_duration_seconds`,
      help: "HTTP requests served by the gateway, by route pattern and status code.",
      labelNames: ["method", "route", "status_code"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    this.coordinatorUp = new Gauge({
      name: `${GATEWAY_METRIC_PREFIX}coordinator_up`,
      help: "1 when the coordinator answered the last scrape's GetMetrics, else 0.",
      registers: [this.registry],
    });
    // Every process of the system, as the orchestrator samples it (absent when it is not there).
    const processGauge = (name: string, help: string) =>
      new Gauge({ name, help, labelNames: ["process", "component"], registers: [this.registry] });
    this.processGauges = {
      cpu: processGauge(
        "mcp_process_cpu_percent",
        "CPU use of each process of the system, in percent of one core.",
      ),
      rss: processGauge(
        "mcp_process_resident_memory_bytes",
        "Resident memory of each process of the system.",
      ),
      restarts: processGauge(
        "mcp_process_restarts",
        "How many times the orchestrator restarted each process.",
      ),
      healthy: processGauge(
        "mcp_process_healthy",
        "1 when the orchestrator reports the process healthy, else 0.",
      ),
    };
  }

  /** `route` is the route's pattern (never the raw URL, which would explode the label set). */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.requestDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * The exposition text: the gateway's metrics (with every process's CPU and memory from the
   * orchestrator), then the coordinator's (null when it could not be reached). A coordinator family whose name the gateway also uses is dropped, because a
   * name may appear only once in a scrape.
   */
  async render(
    coordinatorText: string | null,
    processes: readonly ProcessStatus[] | null = null,
    integrationText: string | null = null,
  ): Promise<string> {
    this.coordinatorUp.set(coordinatorText === null ? 0 : 1);
    for (const gauge of Object.values(this.processGauges)) gauge.reset();
    for (const p of processes ?? []) {
      const labels = { process: p.name, component: p.component };
      this.processGauges.cpu.set(labels, p.cpuPercent);
      this.processGauges.rss.set(labels, p.rssBytes);
      this.processGauges.restarts.set(labels, p.restarts);
      this.processGauges.healthy.set(
        labels,
        p.state === ProcessState.PROCESS_STATE_HEALTHY ? 1 : 0,
      );
    }
    const own = await this.registry.metrics();
    const ownNames = new Set(this.registry.getMetricsAsArray().map((m) => m.name));
    const parts = [own];
    for (const text of [coordinatorText, integrationText]) {
      if (text !== null && text.trim() !== "") parts.push(dropFamilies(text, ownNames));
    }
    return `${parts.map((p) => p.trimEnd()).join("\n")}\n`;
  }
}

/** Removes the HELP/TYPE lines and samples of the families named in `names`. */
function dropFamilies(text: string, names: ReadonlySet<string>): string {
  if (names.size === 0) return text;
  const familyOf = (sample: string): string => {
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(sample)?.[0] ?? "";
    for (const suffix of ["_bucket", "_sum", "_count", "_total", "_created"]) {
      if (name.endsWith(suffix) && names.has(name.slice(0, -suffix.length)))
        return name.slice(0, -suffix.length);
    }
    return name;
  };
  return text
    .split("\n")
    .filter((line) => {
      const meta = /^# (?:HELP|TYPE) (\S+)/.exec(line);
      if (meta) return !names.has(meta[1] ?? "");
      if (line.startsWith("#") || line.trim() === "") return true;
      return !names.has(familyOf(line));
    })
    .join("\n");
}
