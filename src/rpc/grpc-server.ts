import {
  type ServiceDefinition,
  Server,
  ServerCredentials,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { AppError } from "../domain/index.js";
import { HealthImplementation, HealthService } from "./health-service.js";

export interface GrpcServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  services: ReadonlyArray<{
    definition: ServiceDefinition;
    implementation: UntypedServiceImplementation;
  }>;
  /** Default: a new HealthImplementation reporting SERVING. */
  health?: HealthImplementation;
}

export interface RunningGrpcServer {
  server: Server;
  /** The port actually bound. */
  port: number;
  health: HealthImplementation;
  /** Stops accepting calls, waits for running ones up to `graceMs`, then forces. */
  close(graceMs?: number): Promise<void>;
}

/** Server settings shared by every process: keepalive to notice silent peers, message size. */
const SERVER_OPTIONS = {
  "grpc.keepalive_time_ms": 10_000,
  "grpc.keepalive_timeout_ms": 5_000,
  "grpc.keepalive_permit_without_calls": 1,
  "grpc.http2.min_ping_interval_without_data_ms": 5_000,
  "grpc.max_receive_message_length": 16 * 1024 * 1024,
  "grpc.max_send_message_length": 64 * 1024 * 1024,
};

/** Binds a gRPC server with the health service plus `services`. */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const server = new Server(SERVER_OPTIONS);
  const health = options.health ?? new HealthImplementation();
  server.addService(HealthService, health.handlers);
  for (const { definition, implementation } of options.services)
    server.addService(definition, implementation);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      `${options.host}:${options.port}`,
      ServerCredentials.createInsecure(),
      (error, bound) => {
        if (error) {
          reject(
            new AppError(
              "unavailable",
              `cannot listen on ${options.host}:${options.port}: ${error.message}`,
              { port: options.port },
            ),
          );
        } else resolve(bound);
      },
    );
  });
  return {
    server,
    port,
    health,
    close: (graceMs = 5_000) =>
      new Promise<void>((resolve) => {
        health.shutdown();
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        timer.unref();
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
