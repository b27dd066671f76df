import { describe, expect, it } from "vitest";
import { formatLogLine } from "../../src/orchestrator/format-log-line.js";
import { toLogRecord } from "../../src/orchestrator/log-record.js";

describe("toLogRecord", () => {
  it("keeps a child's own pino line as it is", () => {
    const line =
      '{"level":"info","time":"2025-01-01T00:00:00.000Z","pid":7,"name":"coordinator","msg":"hello"}';
    const record = toLogRecord("coordinator", 7, line, "stdout");
    expect(record.json).toBe(line);
    expect(record.fields.msg).toBe("hello");
  });

  it("tags a JSON line with the child's name when it carries another", () => {
    const record = toLogRecord(
      "agent-qa",
      7,
      '{"level":"warn","name":"other","msg":"m"}',
      "stdout",
    );
    expect(JSON.parse(record.json)).toMatchObject({ level: "warn", name: "agent-qa", msg: "m" });
  });

  it("wraps stderr and non-JSON lines into records of the child", () => {
    const stderr = toLogRecord("gateway", 9, "(node:9) Warning: something", "stderr");
    expect(JSON.parse(stderr.json)).toMatchObject({
      level: "warn",
      name: "gateway",
      pid: 9,
      stream: "stderr",
      msg: "(node:9) Warning: something",
    });
    const plain = toLogRecord("gateway", 9, '{"not":"pino"}', "stdout");
    expect(JSON.parse(plain.json)).toMatchObject({
      level: "info",
      name: "gateway",
      stream: "stdout",
      msg: '{"not":"pino"}',
    });
  });
});

describe("formatLogLine", () => {
  it("shows time, level, process, message and the other fields as key=value", () => {
    const time = new Date(2025, 0, 2, 3, 4, 5, 6).toISOString();
    const text = formatLogLine(
      {
        level: "warn",
        time,
        name: "agent-backend",
        pid: 1,
        msg: "task failed",
        taskId: "t-1",
        reason: "exit code 2",
        n: 3,
      },
      false,
    );
    expect(text).toBe(
      `03:04:05.006 WARN  agent-backend     task failed taskId=t-1 reason="exit code 2" n=3`,
    );
  });

  it("prints an error's stack below the line", () => {
    const text = formatLogLine(
      {
        level: "error",
        time: 0,
        name: "x",
        msg: "boom",
        err: { message: "bad", stack: "Error: bad\n    at f" },
      },
      false,
    );
    expect(text.split("\n")).toEqual([
      expect.stringMatching(/ERROR x +boom$/),
      "    Error: bad",
      "        at f",
    ]);
  });
});
