import { parseArgs } from "node:util";
import { AppError } from "../../src/domain/index.js";
import { positiveInteger } from "../lib/index.js";

/** Which measurements to take: a drain, an open loop at a fixed rate, or both. */
export type DispatchMode = "drain" | "open" | "both";

/** The dispatch benchmark's options, resolved and checked. */
export interface DispatchOptions {
  /** Default "both": the drain first, then the open loop. */
  mode: DispatchMode;
  /** Open loop: target tasks per second. Default 1000. */
  rate: number;
  /** Open loop: seconds of submission. Default 10. */
  seconds: number;
  /** Drain: tasks to drain. Default 20000. */
  tasks: number;
  /** Concurrency of each of the seven agents (and of each BullMQ worker). Default 5. */
  concurrency: number;
  /** Most tasks per submission call (drain: every call; open loop: when catching up). Default 500. */
  batch: number;
  /** Our SQLite synchronous mode. Default "normal". */
  sync: "normal" | "full";
  /** Whether to run BullMQ too (`--no-peer` turns it off). */
  peer: boolean;
  /** Redis for BullMQ: `REDIS_URL`, default the local one. */
  redisUrl: string;
}

/** Upper bounds that keep a run bounded in time and memory. */
const MAX_RATE = 100_000;
const MAX_SECONDS = 300;
const MAX_TASKS = 2_000_000;

const USAGE =
  "usage: dispatch [--mode drain|open|both] [--rate R] [--seconds D] [--tasks N] " +
  "[--concurrency C] [--batch B] [--sync normal|full] [--no-peer]";

/** Parses and checks the command line; throws an invalid-argument error naming the flag. */
export function parseDispatchOptions(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): DispatchOptions {
  const values = parseFlags(args);
  const mode = values.mode;
  if (mode !== "drain" && mode !== "open" && mode !== "both") {
    throw AppError.invalidArgument("--mode", `--mode must be drain, open or both, got ${mode}`);
  }
  const sync = values.sync;
  if (sync !== "normal" && sync !== "full") {
    throw AppError.invalidArgument("--sync", `--sync must be normal or full, got ${sync}`);
  }
  const rate = positiveInteger("--rate", Number(values.rate), MAX_RATE);
  const seconds = positiveInteger("--seconds", Number(values.seconds), MAX_SECONDS);
  if (rate * seconds > MAX_TASKS) {
    throw AppError.invalidArgument(
      "--rate",
      `--rate x --seconds must be at most ${MAX_TASKS} tasks, got ${rate * seconds}`,
    );
  }
  return {
    mode,
    rate,
    seconds,
    tasks: positiveInteger("--tasks", Number(values.tasks), MAX_TASKS),
    concurrency: positiveInteger("--concurrency", Number(values.concurrency), 1_000),
    batch: positiveInteger("--batch", Number(values.batch), 10_000),
    sync,
    peer: !values["no-peer"],
    redisUrl: env.REDIS_URL ?? "redis://127.0.0.1:6379",
  };
}

function parseFlags(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        mode: { type: "string", default: "both" },
        rate: { type: "string", default: "1000" },
        seconds: { type: "string", default: "10" },
        tasks: { type: "string", default: "20000" },
        concurrency: { type: "string", default: "5" },
        batch: { type: "string", default: "500" },
        sync: { type: "string", default: "normal" },
        "no-peer": { type: "boolean", default: false },
      },
    }).values;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw AppError.invalidArgument("argv", `${reason}\n${USAGE}`);
  }
}
