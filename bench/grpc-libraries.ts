/**
 * Side-by-side measurement of @grpc/grpc-js and Connect (@connectrpc/connect-node, gRPC
 * protocol) on loopback, with the project's own messages: unary GetTask with 1 and 16
 * concurrent callers, and the bidi Connect stream one way and echoed, with single messages
 * and with frames of 32. Each library serves itself from a child process; the cross pairs
 * (grpc-js client -> Connect server, Connect client -> grpc-js server) prove they speak the
 * same wire protocol.
 *
 *   npm run build && node dist/bench/grpc-libraries.js [--seconds 3] [--warmup 0.5] [--rounds 3]
 *     [--pairs all|self] [--cases unary,push,echo]
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { AgentFrame, CoordinatorFrame } from "../src/gen/mcp/v1/agent.js";
import { GetTaskRequest, GetTaskResponse } from "../src/gen/mcp/v1/coordinator.js";
import { formatCount, formatRate, renderTable } from "./lib/index.js";
import type { BenchClient } from "./grpc/bench-client.js";
import {
  BENCH_CASES,
  type BenchCase,
  type CaseRun,
  caseLabel,
  caseUnit,
  runCase,
} from "./grpc/bench-case.js";
import {
  assignmentFrame,
  benchGetTaskResponse,
  benchTaskId,
  finishedFrame,
} from "./grpc/bench-messages.js";
import type { GrpcLibrary } from "./grpc/bench-server.js";
import { createConnectBenchClient } from "./grpc/connect-bench-client.js";
import { createGrpcJsBenchClient } from "./grpc/grpc-js-bench-client.js";
import { ServerProcess } from "./grpc/server-process.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "3" },
    warmup: { type: "string", default: "0.5" },
    pairs: { type: "string", default: "all" },
    cases: { type: "string", default: "unary,push,echo" },
    rounds: { type: "string", default: "3" },
  },
});
const durationMs = Number(values.seconds) * 1000;
const warmupMs = Number(values.warmup) * 1000;
if (!(durationMs > 0 && durationMs <= 60_000)) throw new Error("--seconds must be in (0, 60]");
const rounds = Number(values.rounds);
if (!(Number.isInteger(rounds) && rounds >= 1 && rounds <= 20))
  throw new Error("--rounds must be an integer in [1, 20]");
if (!(warmupMs >= 0 && warmupMs <= 60_000)) throw new Error("--warmup must be in [0, 60]");
if (values.pairs !== "all" && values.pairs !== "self")
  throw new Error("--pairs must be all or self");
const kinds = new Set(values.cases.split(","));
const CASES = BENCH_CASES.filter((benchCase) => kinds.has(benchCase.kind));
if (CASES.length === 0) throw new Error("--cases must name at least one of unary, push, echo");

interface Pair {
  client: GrpcLibrary;
  server: GrpcLibrary;
}
const PAIRS: readonly Pair[] = [
  { client: "grpc-js", server: "grpc-js" },
  { client: "connect", server: "connect" },
  ...(values.pairs === "all"
    ? ([
        { client: "grpc-js", server: "connect" },
        { client: "connect", server: "grpc-js" },
      ] as const)
    : []),
];
const pairLabel = (pair: Pair) =>
  pair.client === pair.server ? pair.client : `${pair.client} -> ${pair.server}`;

interface Measurement {
  rate: number;
  serverCpuMicrosPerOp: number;
  clientCpuMicrosPerOp: number;
}

// The machine is shared: the load average before and after says how much to trust a run.
const formatLoad = () =>
  loadavg()
    .map((load) => load.toFixed(2))
    .join(" ");
const bytes = (encoded: Uint8Array) => `${formatCount(encoded.length)} B`;
console.log(`gRPC library benchmark, ${new Date().toISOString()}`);
console.log(
  `Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), loopback, ` +
    `${rounds} rounds of ${durationMs / 1000} s per case after ${warmupMs / 1000} s warm-up; ` +
    `servers in child processes; ` +
    `load average ${formatLoad()}`,
);
console.log(
  `Message sizes: GetTaskRequest ${bytes(GetTaskRequest.encode({ id: benchTaskId(0) }).finish())}, ` +
    `GetTaskResponse ${bytes(GetTaskResponse.encode(benchGetTaskResponse(benchTaskId(0))).finish())}, ` +
    `CoordinatorFrame of 1 / 32 assignments ${bytes(CoordinatorFrame.encode(assignmentFrame(1)).finish())} / ` +
    `${bytes(CoordinatorFrame.encode(assignmentFrame(32)).finish())}, ` +
    `AgentFrame of 1 / 32 finished ${bytes(AgentFrame.encode(finishedFrame(1)).finish())} / ` +
    `${bytes(AgentFrame.encode(finishedFrame(32)).finish())}`,
);
console.log("");

/** A case that has not ended well after its duration is a hang: fail the run, do not wait. */
async function boundedCase(
  client: BenchClient,
  benchCase: BenchCase,
  ms: number,
): Promise<CaseRun> {
  let timer: NodeJS.Timeout | undefined;
  const limitMs = ms * 5 + 10_000;
  try {
    return await Promise.race([
      runCase(client, benchCase, ms),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${caseLabel(benchCase)} still running after ${limitMs} ms`)),
          limitMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const servers = new Map<GrpcLibrary, ServerProcess>();
const clients = new Map<Pair, BenchClient>();
try {
  for (const library of ["grpc-js", "connect"] as const)
    servers.set(library, await ServerProcess.start(library));
  const serverOf = (library: GrpcLibrary) => servers.get(library) as ServerProcess;
  for (const pair of PAIRS) {
    const address = serverOf(pair.server).address;
    const client =
      pair.client === "grpc-js"
        ? createGrpcJsBenchClient(address)
        : createConnectBenchClient(address);
    // Interop first: a unary call and a stream round trip must work before anything is timed.
    await client.getTask(benchTaskId(0));
    const echoed = await client.echo(1, 1, 0);
    if (echoed.messages !== 1)
      throw new Error(`${pairLabel(pair)}: the stream echoed ${echoed.messages} messages, not 1`);
    clients.set(pair, client);
  }

  const results = new Map<BenchCase, Map<Pair, Measurement[]>>();
  for (const benchCase of CASES) results.set(benchCase, new Map(PAIRS.map((pair) => [pair, []])));
  // Round by round, case by case, every pair in turn: the figures compared in a row are
  // measured seconds apart, and the median of the rounds damps the noise of a shared machine.
  for (let round = 1; round <= rounds; round += 1) {
    console.log(`round ${round} of ${rounds}`);
    for (const benchCase of CASES) {
      for (const pair of PAIRS) {
        const client = clients.get(pair) as BenchClient;
        const server = serverOf(pair.server);
        if (warmupMs > 0) await boundedCase(client, benchCase, warmupMs);
        const serverCpu = await server.cpuMicros();
        const clientCpu = process.cpuUsage();
        const run = await boundedCase(client, benchCase, durationMs);
        const clientCpuUsed = process.cpuUsage(clientCpu);
        const serverCpuUsed = (await server.cpuMicros()) - serverCpu;
        results
          .get(benchCase)
          ?.get(pair)
          ?.push({
            rate: run.operations / run.seconds,
            serverCpuMicrosPerOp: serverCpuUsed / run.operations,
            clientCpuMicrosPerOp: (clientCpuUsed.user + clientCpuUsed.system) / run.operations,
          });
        console.log(
          `  ${caseLabel(benchCase)} | ${pairLabel(pair)}: ${formatRate(run.operations / run.seconds)} ` +
            `(${formatCount(run.operations)} in ${run.seconds.toFixed(2)} s)`,
        );
      }
    }
  }
  // The median round of a cell, by rate, with the CPU figures of that same round.
  const median = (benchCase: BenchCase, pair: Pair): Measurement => {
    const runs = [...(results.get(benchCase)?.get(pair) ?? [])].sort((a, b) => a.rate - b.rate);
    return runs[Math.floor((runs.length - 1) / 2)] as Measurement;
  };

  console.log("");
  console.log(
    `Throughput, median of ${rounds} rounds (client -> server; one name: that library on both sides)`,
  );
  console.log(
    renderTable(
      [
        { header: "case" },
        { header: "unit" },
        ...PAIRS.map((pair) => ({ header: pairLabel(pair), align: "right" as const })),
        { header: "grpc-js / connect", align: "right" },
      ],
      CASES.map((benchCase) => {
        const rate = (pair: Pair) => median(benchCase, pair).rate;
        const pairs = PAIRS as Pair[];
        return [
          caseLabel(benchCase),
          caseUnit(benchCase),
          ...pairs.map((pair) => formatCount(rate(pair))),
          `${(rate(pairs[0] as Pair) / rate(pairs[1] as Pair)).toFixed(2)}x`,
        ];
      }),
    ),
  );
  console.log("");
  console.log("CPU per operation in the median round, server / client, in microseconds");
  console.log(
    renderTable(
      [
        { header: "case" },
        ...PAIRS.map((pair) => ({ header: pairLabel(pair), align: "right" as const })),
      ],
      CASES.map((benchCase) => {
        return [
          caseLabel(benchCase),
          ...PAIRS.map((pair) => {
            const measurement = median(benchCase, pair);
            return `${measurement.serverCpuMicrosPerOp.toFixed(1)} / ${measurement.clientCpuMicrosPerOp.toFixed(1)}`;
          }),
        ];
      }),
    ),
  );
  console.log("");
  console.log(`load average at the end: ${formatLoad()}`);
} finally {
  for (const client of clients.values()) client.close();
  await Promise.all([...servers.values()].map((server) => server.close()));
}
