export * from "./knowledge-query.js";
export * from "./store.js";
export { SqliteStore, type SqliteStoreOptions, type SqliteSynchronous } from "./sqlite/index.js";
export * from "./message-store.js";
