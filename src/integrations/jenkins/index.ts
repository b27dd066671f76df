export { jenkinsPlugin } from "./plugin.js";
