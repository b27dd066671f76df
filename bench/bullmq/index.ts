export {
  type BullmqDrainOptions,
  type BullmqDrainResult,
  runBullmqDrain,
} from "./run-bullmq-drain.js";
export {
  type BullmqOpenLoopOptions,
  type BullmqOpenLoopResult,
  runBullmqOpenLoop,
} from "./run-bullmq-open-loop.js";
