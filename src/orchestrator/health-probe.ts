import { createGrpcHealthChecker } from "../rpc/index.js";

/** How a child's health is asked. */
export type HealthKind = "grpc" | "http";

/** Repeated health checks of one child; close it when the child is gone. */
export interface HealthProbe {
  /** grpc.health.v1 SERVING, or HTTP 200 from GET /health. False on any failure or timeout. */
  check(timeoutMs: number): Promise<boolean>;
  close(): void;
}

/**
 * A probe of the process at `address` (host:port). The gRPC one keeps its channel between
 * checks; fetch keeps HTTP connections alive by itself.
 */
export function createHealthProbe(kind: HealthKind, address: string): HealthProbe {
  if (kind === "grpc") {
    const checker = createGrpcHealthChecker(address);
    return { check: (timeoutMs) => checker.check(timeoutMs), close: () => checker.close() };
  }
  return {
    async check(timeoutMs) {
      try {
        const response = await fetch(`http://${address}/health`, {
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.arrayBuffer();
        return response.ok;
      } catch {
        return false;
      }
    },
    close: () => undefined,
  };
}
