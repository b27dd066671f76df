import {
  type sendUnaryData,
  type ServerUnaryCall,
  type ServerWritableStream,
  status,
} from "@grpc/grpc-js";
import {
  HealthCheckResponse_ServingStatus as ServingStatus,
  type HealthCheckRequest,
  type HealthCheckResponse,
  HealthService,
} from "../gen/grpc/health/v1/health.js";

export { HealthService };

/**
 * grpc.health.v1, served by every process. "" is the whole process; a process reports
 * NOT_SERVING when it cannot do its job (e.g. its store is unreachable).
 */
export class HealthImplementation {
  private readonly statuses = new Map<string, ServingStatus>();
  private readonly watchers = new Map<
    string,
    Set<ServerWritableStream<HealthCheckRequest, HealthCheckResponse>>
  >();

  constructor(initial: Record<string, boolean> = { "": true }) {
    for (const [service, serving] of Object.entries(initial)) this.setServing(service, serving);
  }

  setServing(service: string, serving: boolean): void {
    const next = serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    if (this.statuses.get(service) === next) return;
    this.statuses.set(service, next);
    for (const call of this.watchers.get(service) ?? []) call.write({ status: next });
  }

  isServing(service = ""): boolean {
    return this.statuses.get(service) === ServingStatus.SERVING;
  }

  /** Marks every service NOT_SERVING (used while shutting down). */
  shutdown(): void {
    for (const service of [...this.statuses.keys()]) this.setServing(service, false);
  }

  readonly handlers = {
    check: (
      call: ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>,
      callback: sendUnaryData<HealthCheckResponse>,
    ) => {
      const current = this.statuses.get(call.request.service);
      if (current === undefined) {
        callback({
          code: status.NOT_FOUND,
          details: `unknown service ${JSON.stringify(call.request.service)}`,
        });
        return;
      }
      callback(null, { status: current });
    },
    watch: (call: ServerWritableStream<HealthCheckRequest, HealthCheckResponse>) => {
      const service = call.request.service;
      let set = this.watchers.get(service);
      if (!set) {
        set = new Set();
        this.watchers.set(service, set);
      }
      set.add(call);
      call.write({ status: this.statuses.get(service) ?? ServingStatus.SERVICE_UNKNOWN });
      call.on("cancelled", () => set.delete(call));
      call.on("close", () => set.delete(call));
    },
  };
}
