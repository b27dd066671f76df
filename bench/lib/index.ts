export * from "./clock.js";
export * from "./format.js";
export * from "./latency-summary.js";
export * from "./peer-result.js";
export * from "./percentile.js";
export * from "./table.js";
