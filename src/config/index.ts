export * from "./config-options.js";
export * from "./config-schema.js";
export * from "./load-config.js";
