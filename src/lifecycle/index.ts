export * from "./child-messages.js";
export * from "./running-component.js";
