export * from "./agent-wire.js";
export * from "./enum-maps.js";
export * from "./event-wire.js";
export * from "./http-status.js";
export * from "./json-field.js";
export * from "./project-wire.js";
export * from "./task-wire.js";
