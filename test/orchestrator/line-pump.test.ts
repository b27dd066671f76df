import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { pumpLines } from "../../src/orchestrator/line-pump.js";

describe("pumpLines", () => {
  it("joins partial lines across chunks, splits several lines per chunk, keeps a last unterminated line", async () => {
    const lines: string[] = [];
    const stream = Readable.from([
      '{"a":',
      '1}\n{"b":2}\nplain',
      " text\r\n\n",
      "é".repeat(3),
      "tail",
    ]);
    await pumpLines(stream, (line) => {
      lines.push(line);
      return undefined;
    });
    expect(lines).toEqual(['{"a":1}', '{"b":2}', "plain text", "ééétail"]);
  });

  it("keeps a multi-byte character split between chunks whole", async () => {
    const bytes = Buffer.from("grüße\n", "utf8");
    const stream = Readable.from([bytes.subarray(0, 3), bytes.subarray(3)]);
    const lines: string[] = [];
    await pumpLines(stream, (line) => {
      lines.push(line);
      return undefined;
    });
    expect(lines).toEqual(["grüße"]);
  });

  it("stops reading while a line is being handled, and loses nothing from a fast writer", async () => {
    const stream = new PassThrough({ highWaterMark: 1024 });
    const total = 20_000;
    let writerBlocked = 0;
    const writer = (async () => {
      for (let i = 0; i < total; i++) {
        if (!stream.write(`line ${i} ${"x".repeat(i % 50)}\n`)) {
          writerBlocked++;
          await new Promise((resolve) => stream.once("drain", resolve));
        }
      }
      stream.end();
    })();
    const seen: string[] = [];
    await pumpLines(stream, (line) => {
      seen.push(line);
      // A slow consumer every so often, as a busy disk would be.
      return seen.length % 1000 === 0
        ? new Promise((resolve) => setTimeout(resolve, 5))
        : undefined;
    });
    await writer;
    expect(seen).toHaveLength(total);
    expect(seen[total - 1]).toBe(`line ${total - 1} ${"x".repeat((total - 1) % 50)}`);
    // The writer was made to wait: backpressure reached it.
    expect(writerBlocked).toBeGreaterThan(0);
  });
});
