export * from "./command-executor.js";
export * from "./executor-registry.js";
export * from "./executor.js";
export * from "./noop-executor.js";
export * from "./task-failure.js";
export * from "./integration-executor.js";
