export {
  type BullmqDrainOptions,
  type BullmqDrainResult,
  runBullmqDrain,
} from "./run-bullmq-drain.js";
