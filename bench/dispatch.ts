import { cpus, loadavg } from "node:os";
import { AppError } from "../src/domain/index.js";
import { runBullmqDrain, runBullmqOpenLoop } from "./bullmq/index.js";
import { type DispatchOptions, parseDispatchOptions } from "./dispatch/dispatch-options.js";
import {
  drainTable,
  ourDrainLine,
  openLoopLine,
  openLoopTable,
  PEER_NAME,
} from "./dispatch/dispatch-report.js";
import { runOurDrain } from "./dispatch/run-our-drain.js";
import { runOurOpenLoop } from "./dispatch/run-our-open-loop.js";
import { formatCount } from "./lib/index.js";

/**
 * npm run bench:dispatch [-- --mode drain|open|both --rate R --seconds D --tasks N
 *   --concurrency C --batch B --sync normal|full --no-peer]
 *
 * Drain: N no-op tasks submitted as fast as possible (throughput; latencies include the wait
 * behind the backlog). Open loop: R tasks/s for D seconds, one submission call every 10 ms
 * (latency at a steady load). Each through our real processes (seven agents of concurrency C)
 * and then, alone, through BullMQ on the local Redis (seven worker processes of concurrency C).
 */

const WORKERS = 7;

let options: DispatchOptions;
try {
  options = parseDispatchOptions(process.argv.slice(2), process.env);
} catch (error) {
  console.error(AppError.from(error).message);
  process.exit(2);
}

// A first SIGINT/SIGTERM aborts the run, which still stops the system and obliterates the
// queue; a second one exits at once.
const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(130);
    console.error(`${signal}: stopping and cleaning up (again to exit at once)`);
    controller.abort(new AppError("cancelled", `interrupted by ${signal}`));
  });
}

const flags = ["--coordinator-sqlite-synchronous", options.sync];
let failed = false;

async function drain(o: DispatchOptions): Promise<void> {
  console.log(`drain: ${formatCount(o.tasks)} no-op tasks`);
  const ours = await runOurDrain({
    tasks: o.tasks,
    concurrency: o.concurrency,
    batchSize: o.batch,
    inFlight: 2,
    flags,
    signal: controller.signal,
  });
  console.log(ourDrainLine(ours));
  if (ours.anomalies > 0) failed = true;
  const peer = o.peer
    ? await runBullmqDrain({
        tasks: o.tasks,
        workers: WORKERS,
        concurrency: o.concurrency,
        redisUrl: o.redisUrl,
        signal: controller.signal,
      })
    : null;
  if (peer) console.log(`BullMQ drain: duplicate completions ${peer.duplicateCompletions}`);
  console.log(drainTable(ours, peer, o.sync));
}

async function openLoop(o: DispatchOptions): Promise<void> {
  console.log(
    `open loop: ${formatCount(o.rate)} tasks/s for ${o.seconds} s (${formatCount(o.rate * o.seconds)} no-op tasks), one call every 10 ms`,
  );
  const ours = await runOurOpenLoop({
    rate: o.rate,
    seconds: o.seconds,
    concurrency: o.concurrency,
    maxPerCall: o.batch,
    flags,
    signal: controller.signal,
  });
  console.log(
    openLoopLine(
      "ours",
      ours,
      `anomalies ${ours.anomalies}, coordinator CPU per task ${formatCount(ours.coordinatorCpuUsPerTask)} us`,
    ),
  );
  if (ours.anomalies > 0) failed = true;
  const peer = o.peer
    ? await runBullmqOpenLoop({
        rate: o.rate,
        seconds: o.seconds,
        workers: WORKERS,
        concurrency: o.concurrency,
        redisUrl: o.redisUrl,
        maxPerCall: o.batch,
        signal: controller.signal,
      })
    : null;
  if (peer) {
    console.log(
      openLoopLine(PEER_NAME, peer, `duplicate completions ${peer.duplicateCompletions}`),
    );
  }
  console.log(openLoopTable(ours, peer, o.sync));
}

console.log(
  `dispatch benchmark (${options.mode}): ${WORKERS} agents x concurrency ${options.concurrency}; ` +
    `${cpus().length} cores, Node ${process.version}, load ${loadavg()[0]?.toFixed(2)}`,
);
try {
  if (options.mode !== "open") await drain(options);
  if (options.mode !== "drain") await openLoop(options);
  if (failed) {
    console.log("ANOMALIES: some tasks were not completed exactly once on their first attempt");
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`dispatch benchmark failed: ${AppError.from(error).message}`);
  process.exitCode = controller.signal.aborted ? 130 : 1;
}
