import { HealthCheckResponse_ServingStatus, HealthClient } from "../gen/grpc/health/v1/health.js";
import { CLIENT_OPTIONS, insecure } from "./grpc-channel.js";
import { promiseClient } from "./promise-client.js";

/** Repeated health checks of one process over one channel (no new connection per check). */
export interface GrpcHealthChecker {
  /** Whether the process answers SERVING for `service`; false on any failure. */
  check(timeoutMs: number, service?: string): Promise<boolean>;
  close(): void;
}

export function createGrpcHealthChecker(address: string): GrpcHealthChecker {
  const client = new HealthClient(address, insecure(), CLIENT_OPTIONS);
  const health = promiseClient(client, 2_000);
  return {
    async check(timeoutMs, service = "") {
      try {
        const response = await health.check({ service }, { timeoutMs });
        return response.status === HealthCheckResponse_ServingStatus.SERVING;
      } catch {
        return false;
      }
    },
    close: () => client.close(),
  };
}

/** Asks a process's grpc.health.v1 once whether it is SERVING. False on any failure. */
export async function checkGrpcHealth(
  address: string,
  timeoutMs = 2_000,
  service = "",
): Promise<boolean> {
  const checker = createGrpcHealthChecker(address);
  try {
    return await checker.check(timeoutMs, service);
  } finally {
    checker.close();
  }
}
