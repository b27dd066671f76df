export { youtrackPlugin } from "./plugin.js";
