export * from "./grpc-channel.js";
export * from "./grpc-server.js";
export * from "./grpc-status.js";
export * from "./health-client.js";
export * from "./health-service.js";
export * from "./promise-client.js";
export * from "./unary-handler.js";
