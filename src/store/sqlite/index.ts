export * from "./fts-match.js";
export * from "./migrations.js";
export * from "./run-migrations.js";
export * from "./sqlite-store-options.js";
export * from "./sqlite-store.js";
