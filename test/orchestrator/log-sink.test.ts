import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createLogger } from "../../src/observability/index.js";
import { afterEach, describe, expect, it } from "vitest";
import { LogSink } from "../../src/orchestrator/index.js";
import { toLogRecord } from "../../src/orchestrator/log-record.js";
import { tempDir } from "../cli/cli-process.js";

/** A stdout stand-in that is slow to take data, as a terminal under load is. */
function slowOut(isTTY: boolean): Writable & { text: string; isTTY: boolean } {
  const out = new Writable({
    highWaterMark: 256,
    write(chunk: Buffer, _encoding, callback) {
      out.text += chunk.toString("utf8");
      setImmediate(callback);
    },
  }) as Writable & { text: string; isTTY: boolean };
  out.text = "";
  out.isTTY = isTTY;
  return out;
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe("LogSink", () => {
  it("files every record as JSON and echoes JSON when stdout is not a terminal, waiting on backpressure", async () => {
    const dir = await tempDir("mcp-log-sink-");
    cleanup = dir.remove;
    const file = join(dir.path, "logs", "mcp_system.log");
    const out = slowOut(false);
    const sink = new LogSink({ file, out });
    await sink.start();
    let waited = 0;
    for (let i = 0; i < 2_000; i++) {
      const pending = sink.write(toLogRecord("agent-qa", 1, `line ${i}`, i % 2 === 0 ? "stdout" : "stderr"));
      if (pending) {
        waited++;
        await pending;
      }
    }
    await sink.close();
    const filed = (await readFile(file, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { name: string; msg: string });
    expect(filed).toHaveLength(2_000);
    expect(filed.map((r) => r.msg)).toEqual(Array.from({ length: 2_000 }, (_, i) => `line ${i}`));
    expect(filed.every((r) => r.name === "agent-qa")).toBe(true);
    expect(out.text.trim().split("\n")).toHaveLength(2_000);
    expect(waited).toBeGreaterThan(0);
  });

  it("appends, formats for a terminal, and files the orchestrator's own pino lines", async () => {
    const dir = await tempDir("mcp-log-sink-");
    cleanup = dir.remove;
    const file = join(dir.path, "mcp_system.log");
    for (const run of [1, 2]) {
      const out = slowOut(true);
      const sink = new LogSink({ file, out });
      await sink.start();
      const logger = createLogger({ process: "orchestrator", destination: sink.ownStream("orchestrator") });
      logger.info({ run }, "system ready");
      await new Promise((resolve) => setImmediate(resolve));
      await sink.close();
      expect(out.text).toMatch(/INFO .*orchestrator +system ready .*run=/);
    }
    const filed = (await readFile(file, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { name: string; run: number });
    expect(filed.map((r) => [r.name, r.run])).toEqual([
      ["orchestrator", 1],
      ["orchestrator", 2],
    ]);
  });
});
