export * from "./literal-union.js";
export * from "./validation-error.js";
