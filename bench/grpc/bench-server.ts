/** A benchmark server of either library, listening on loopback. */
export interface BenchServer {
  readonly port: number;
  close(): Promise<void>;
}

/** The two libraries compared. */
export type GrpcLibrary = "grpc-js" | "connect";

export function isGrpcLibrary(value: unknown): value is GrpcLibrary {
  return value === "grpc-js" || value === "connect";
}
