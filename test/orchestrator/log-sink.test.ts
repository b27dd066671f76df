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
  it("files every record as JSON and echoes JSON when stdout is not a terminal", async () => {
    const dir = await tempDir("mcp-log-sink-");
    cleanup = dir.remove;
    const file = join(dir.path, "logs", "mcp_system.log");
    const out = slowOut(false);
    const sink = new LogSink({ file, out });
    await sink.start();
    for (let i = 0; i < 2_000; i++) {
      await sink.write(toLogRecord("agent-qa", 1, `line ${i}`, i % 2 === 0 ? "stdout" : "stderr"));
    }
    await sink.close();
    const filed = (await readFile(file, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { name: string; msg: string });
    expect(filed.map((r) => r.msg)).toEqual(Array.from({ length: 2_000 }, (_, i) => `line ${i}`));
    expect(filed.every((r) => r.name === "agent-qa")).toBe(true);
    const echoed = out.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { msg: string });
    expect(echoed.map((r) => r.msg)).toEqual(filed.map((r) => r.msg));
  });

  it("leaves lines out of an echo that does not keep up, says how many, and still files them all", async () => {
    const dir = await tempDir("mcp-log-sink-");
    cleanup = dir.remove;
    const file = join(dir.path, "mcp_system.log");
    const out = slowOut(false);
    const sink = new LogSink({ file, out, outBufferLimitBytes: 4 * 1024 });
    await sink.start();
    // Written without yielding to the event loop, so the echo cannot drain in between. The
    // file asks writers to wait (its buffer is past its mark); the echo never does.
    const pending = Array.from({ length: 1_000 }, (_, i) =>
      sink.write(toLogRecord("gateway", 1, `line ${i}`, "stdout")),
    );
    expect(pending.some((p) => p !== undefined)).toBe(true);
    await Promise.all(pending.filter((p) => p !== undefined));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sink.write(toLogRecord("gateway", 1, "after the burst", "stdout"));
    await sink.close();

    const filed = (await readFile(file, "utf8")).trim().split("\n");
    expect(filed).toHaveLength(1_001);
    const echoed = out.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { name: string; msg: string; level: string });
    const notice = echoed.find((r) => r.msg.includes("left out"));
    const shown = echoed.filter((r) => r.name === "gateway").length;
    expect(shown).toBeLessThan(1_001);
    expect(notice).toMatchObject({ name: "orchestrator", level: "warn" });
    expect(notice?.msg).toBe(
      `${1_001 - shown} log lines were left out of this output, which was not keeping up; all are in ${file}`,
    );
    expect(echoed.at(-1)?.msg).toBe("after the burst");
  });

  it("appends, formats for a terminal, and files the orchestrator's own pino lines", async () => {
    const dir = await tempDir("mcp-log-sink-");
    cleanup = dir.remove;
    const file = join(dir.path, "mcp_system.log");
    for (const run of [1, 2]) {
      const out = slowOut(true);
      const sink = new LogSink({ file, out });
      await sink.start();
      const logger = createLogger({
        process: "orchestrator",
        destination: sink.ownStream("orchestrator"),
      });
      logger.info({ run }, "system ready");
      await new Promise((resolve) => setImmediate(resolve));
      await sink.close();
      expect(out.text).toMatch(/INFO .*orchestrator +system ready .*run=/);
    }
    const filed = (await readFile(file, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { name: string; run: number });
    expect(filed.map((r) => [r.name, r.run])).toEqual([
      ["orchestrator", 1],
      ["orchestrator", 2],
    ]);
  });
});
