export * from "./literal-union.js";
