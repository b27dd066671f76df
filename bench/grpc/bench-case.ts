import type { BenchClient } from "./bench-client.js";
import { benchTaskId } from "./bench-messages.js";

/** One measurement of the gRPC library benchmark. */
export type BenchCase =
  /** GetTask calls from `callers` concurrent loops sharing one connection. */
  | { kind: "unary"; callers: number }
  /** Server -> client frames of `batch` assignments, as fast as flow control allows. */
  | { kind: "push"; batch: number }
  /** Frames of `batch` TaskFinished answered by frames of `batch` assignments, `window` frames in flight. */
  | { kind: "echo"; batch: number; window: number };

/** Frames in flight in the echo cases: enough to keep both sides busy, as a busy agent would. */
const ECHO_WINDOW = 16;

/** The cases, in the order they are run and printed. */
export const BENCH_CASES: readonly BenchCase[] = [
  { kind: "unary", callers: 1 },
  { kind: "unary", callers: 16 },
  { kind: "push", batch: 1 },
  { kind: "push", batch: 32 },
  { kind: "echo", batch: 1, window: ECHO_WINDOW },
  { kind: "echo", batch: 32, window: ECHO_WINDOW },
];

export function caseLabel(benchCase: BenchCase): string {
  switch (benchCase.kind) {
    case "unary":
      return `unary GetTask, ${benchCase.callers} caller${benchCase.callers === 1 ? "" : "s"}`;
    case "push":
      return `stream one way (server->client), ${benchCase.batch}/frame`;
    case "echo":
      return `stream echoed, ${benchCase.batch}/frame, ${benchCase.window} frames in flight`;
  }
}

/** What the rate of a case counts. */
export function caseUnit(benchCase: BenchCase): string {
  return benchCase.kind === "unary" ? "RPC/s" : "msgs/s";
}

/** Operations done (RPCs or messages received) and the time they took. */
export interface CaseRun {
  operations: number;
  seconds: number;
}

/** Runs one case for about `durationMs` (bounded: every loop checks a deadline). */
export async function runCase(
  client: BenchClient,
  benchCase: BenchCase,
  durationMs: number,
): Promise<CaseRun> {
  switch (benchCase.kind) {
    case "unary": {
      let operations = 0;
      const started = performance.now();
      const deadline = started + durationMs;
      await Promise.all(
        Array.from({ length: benchCase.callers }, async (_unused, caller) => {
          const id = benchTaskId(caller);
          while (performance.now() < deadline) {
            await client.getTask(id);
            operations += 1;
          }
        }),
      );
      return { operations, seconds: (performance.now() - started) / 1000 };
    }
    case "push": {
      const run = await client.push(benchCase.batch, durationMs);
      return { operations: run.messages, seconds: run.seconds };
    }
    case "echo": {
      const run = await client.echo(benchCase.batch, benchCase.window, durationMs);
      return { operations: run.messages, seconds: run.seconds };
    }
  }
}
