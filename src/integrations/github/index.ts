export { githubPlugin } from "./plugin.js";
