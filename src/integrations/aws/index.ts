export { awsPlugin } from "./plugin.js";
