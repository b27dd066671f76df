import { HealthCheckResponse_ServingStatus, HealthClient } from "../gen/grpc/health/v1/health.js";
import { CLIENT_OPTIONS, insecure } from "./grpc-channel.js";
import { promiseClient } from "./promise-client.js";

/** Asks a process's grpc.health.v1 whether it is SERVING. False on any failure. */
export async function checkGrpcHealth(
  address: string,
  timeoutMs = 2_000,
  service = "",
): Promise<boolean> {
  const client = new HealthClient(address, insecure(), CLIENT_OPTIONS);
  try {
    const response = await promiseClient(client, timeoutMs).check({ service });
    return response.status === HealthCheckResponse_ServingStatus.SERVING;
  } catch {
    return false;
  } finally {
    client.close();
  }
}
