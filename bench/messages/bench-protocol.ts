import type { AgentType } from "../../src/domain/index.js";

/** How a message finds its recipients in a run. */
export type Traffic = "direct" | "type" | "broadcast";

/** Parent -> bench agent. */
export type ToBenchAgent =
  | {
      type: "run";
      /** Numbers the run: messages of an earlier run that arrive late are not counted. */
      run: number;
      traffic: Traffic;
      /** Sending time. */
      seconds: number;
      /** Sends in flight per agent at most (closed loop). */
      window: number;
      /** Messages per second this agent sends; 0 means as fast as the window allows. */
      rate: number;
      /** The agent each message goes to (direct) or whose type it goes to (type). */
      peer: { id: string; type: AgentType };
    }
  | { type: "stop" };

/** Bench agent -> parent. */
export type FromBenchAgent =
  | { type: "ready"; id: string }
  | {
      type: "result";
      id: string;
      sent: number;
      failed: number;
      received: number;
      /** When this agent sent its first message and received its last one (epoch ms). */
      firstSentAt: number;
      lastReceivedAt: number;
      /** Send-to-delivery latencies of the received messages, in ms (a sample). */
      latenciesMs: number[];
    }
  | { type: "error"; message: string };
