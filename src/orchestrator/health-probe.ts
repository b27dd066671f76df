import { checkGrpcHealth } from "../rpc/index.js";

/** How a child's health is asked. */
export type HealthKind = "grpc" | "http";

/**
 * Asks the process at `address` (host:port) whether it is healthy: grpc.health.v1 SERVING,
 * or HTTP 200 from GET /health. False on any failure or after `timeoutMs`.
 */
export async function probeHealth(
  kind: HealthKind,
  address: string,
  timeoutMs: number,
): Promise<boolean> {
  if (kind === "grpc") return checkGrpcHealth(address, timeoutMs);
  try {
    const response = await fetch(`http://${address}/health`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
