export * from "./detect-template.js";
export * from "./plan-project.js";
export * from "./plan-integrations.js";
