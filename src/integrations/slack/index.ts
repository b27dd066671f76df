export { slackPlugin } from "./plugin.js";
