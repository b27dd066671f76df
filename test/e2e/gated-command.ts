import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { eventually } from "../cli/cli-process.js";

/**
 * The program of a gated command: it records its start (with its pid) in the journal, waits
 * until the test opens its gate (a file named after its pid, or the one that opens every
 * gate), records its end, prints "done <label> <pid>" and exits 0. It gives up by itself
 * (exit 3) after a minute, so that a run orphaned by a killed agent cannot outlive a test
 * that forgot it. Passed to `node -e` as one argv element: no shell anywhere.
 */
const GATED_SCRIPT = `
const fs = require("fs"), path = require("path");
const [journal, gates, label] = process.argv.slice(1);
const note = (event) => fs.appendFileSync(journal, JSON.stringify({ event, label, pid: process.pid }) + "\\n");
note("start");
const deadline = Date.now() + 60000;
const mine = path.join(gates, "open-" + process.pid), all = path.join(gates, "open-all");
(function wait() {
  if (fs.existsSync(mine) || fs.existsSync(all)) {
    note("end");
    process.stdout.write("done " + label + " " + process.pid + "\\n");
    process.exit(0);
  }
  if (Date.now() > deadline) process.exit(3);
  setTimeout(wait, 25);
})();
`;

/** One line of the journal. */
export interface GateEvent {
  event: "start" | "end";
  label: string;
  pid: number;
}

/**
 * Command tasks that run until the test lets them finish. A run's lifetime is then decided
 * by the test, not by a sleep, so a scenario ("the agent dies while the task runs", "the
 * late result arrives while attempt 2 runs") holds however slow the machine is.
 */
export class CommandGate {
  private readonly journal: string;

  constructor(private readonly dir: string) {
    this.journal = join(dir, "gated-runs.jsonl");
  }

  /** The argv of a gated command labelled `label`. */
  argv(label: string): string[] {
    return [process.execPath, "-e", GATED_SCRIPT, this.journal, this.dir, label];
  }

  /** Every start and end recorded so far, in order. */
  async events(): Promise<GateEvent[]> {
    let text: string;
    try {
      text = await readFile(this.journal, "utf8");
    } catch {
      return [];
    }
    return text
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as GateEvent);
  }

  /** The pids of the runs of `label` that started, in order. */
  async started(label: string): Promise<number[]> {
    return (await this.events())
      .filter((e) => e.event === "start" && e.label === label)
      .map((e) => e.pid);
  }

  /** Waits until `count` runs of `label` have started; returns their pids in order. */
  waitForStarts(label: string, count: number, timeoutMs = 30_000): Promise<number[]> {
    return eventually(
      async () => {
        const pids = await this.started(label);
        return pids.length >= count ? pids : undefined;
      },
      `${count} run(s) of ${label} to start`,
      timeoutMs,
    );
  }

  /** Waits until the run with `pid` has recorded its end. */
  waitForEnd(pid: number, timeoutMs = 30_000): Promise<true> {
    return eventually(
      async () =>
        (await this.events()).some((e) => e.event === "end" && e.pid === pid) ? true : undefined,
      `gated run ${pid} to end`,
      timeoutMs,
    );
  }

  /** Lets the run with `pid` finish. */
  open(pid: number): Promise<void> {
    return writeFile(join(this.dir, `open-${pid}`), "");
  }

  /** Lets every run, present and future, finish. */
  openAll(): Promise<void> {
    return writeFile(join(this.dir, "open-all"), "");
  }

  /**
   * SIGKILLs every run that started and did not end. Runs live in process groups of their own
   * (the agent's doing), so killing the system's group does not reach them; call in afterEach.
   */
  async killUnfinished(): Promise<void> {
    const events = await this.events();
    const ended = new Set(events.filter((e) => e.event === "end").map((e) => e.pid));
    for (const e of events) {
      if (e.event !== "start" || ended.has(e.pid)) continue;
      try {
        process.kill(e.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
}
