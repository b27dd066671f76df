import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { FrameOutbox, type FrameWriter } from "../../src/agent/frame-outbox.js";
import type { AgentFrame, AgentMessage } from "../../src/gen/mcp/v1/agent.js";

/** A writer that records frames and pushes back (returns false) while `full` is set. */
class RecordingWriter extends EventEmitter implements FrameWriter {
  frames: AgentFrame[] = [];
  full = false;
  write(frame: AgentFrame): boolean {
    this.frames.push(frame);
    return !this.full;
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const started = (taskId: string): AgentMessage => ({
  kind: { $case: "started", value: { taskId, attempt: 1 } },
});
const progress = (taskId: string, percent: number): AgentMessage => ({
  kind: { $case: "progress", value: { taskId, attempt: 1, percent, message: `${percent}%` } },
});
const names = (frame: AgentFrame | undefined) =>
  frame?.messages.map(
    (m) => `${m.kind?.$case}:${m.kind?.$case === "progress" ? m.kind.value.percent : ""}`,
  );

describe("frame outbox", () => {
  it("sends everything queued in one event-loop turn as one frame, in order", async () => {
    const writer = new RecordingWriter();
    const outbox = new FrameOutbox();
    outbox.attach(writer);
    for (let i = 0; i < 100; i++) outbox.push(started(`t${i}`));
    expect(writer.frames).toHaveLength(0);
    await turn();
    expect(writer.frames).toHaveLength(1);
    expect(
      writer.frames[0]?.messages.map((m) =>
        m.kind?.$case === "started" ? m.kind.value.taskId : "",
      ),
    ).toEqual(Array.from({ length: 100 }, (_, i) => `t${i}`));
  });

  it("keeps only the latest progress per task attempt, where the first one stood", async () => {
    const writer = new RecordingWriter();
    const outbox = new FrameOutbox();
    outbox.attach(writer);
    outbox.push(started("a"));
    outbox.push(progress("a", 10));
    outbox.push(progress("b", 5));
    outbox.push(progress("a", 60));
    outbox.push(started("c"));
    outbox.push(progress("a", 90));
    await turn();
    expect(names(writer.frames[0])).toEqual(["started:", "progress:90", "progress:5", "started:"]);
  });

  it("splits a large batch into frames of bounded size", async () => {
    const writer = new RecordingWriter();
    const outbox = new FrameOutbox(10);
    outbox.attach(writer);
    for (let i = 0; i < 25; i++) outbox.push(started(`t${i}`));
    await turn();
    expect(writer.frames.map((f) => f.messages.length)).toEqual([10, 10, 5]);
  });

  it("waits for drain when the stream pushes back, queueing meanwhile, and loses nothing", async () => {
    const writer = new RecordingWriter();
    const outbox = new FrameOutbox(10);
    outbox.attach(writer);
    writer.full = true;
    for (let i = 0; i < 25; i++) outbox.push(started(`t${i}`));
    await turn();
    expect(writer.frames).toHaveLength(1);
    outbox.push(started("late"));
    await turn();
    expect(writer.frames).toHaveLength(1);
    expect(outbox.pending).toBe(16);
    writer.full = false;
    writer.emit("drain");
    await turn();
    const ids = writer.frames.flatMap((f) =>
      f.messages.map((m) => (m.kind?.$case === "started" ? m.kind.value.taskId : "")),
    );
    expect(ids).toEqual([...Array.from({ length: 25 }, (_, i) => `t${i}`), "late"]);
    expect(await outbox.whenEmpty(1_000)).toBe(true);
  });

  it("drops messages while detached and reports it", async () => {
    const writer = new RecordingWriter();
    const outbox = new FrameOutbox();
    expect(outbox.push(started("a"))).toBe(false);
    outbox.attach(writer);
    outbox.push(started("b"));
    outbox.detach();
    await turn();
    expect(writer.frames).toHaveLength(0);
  });
});
