import { describe, expect, it } from "vitest";
import { AppError } from "../../src/domain/index.js";
import { closeFrameFor, closeReason } from "../../src/gateway/event-socket.js";

describe("the close frame of an event socket", () => {
  it("tells the client why, with a code it reconnects on", () => {
    expect(closeFrameFor(new AppError("unavailable", "gone")).code).toBe(1012);
    expect(closeFrameFor(new AppError("resource_exhausted", "slow")).code).toBe(1013);
    expect(closeFrameFor(new AppError("internal", "oops"))).toEqual({ code: 1011, reason: "oops" });
  });

  it("cuts a reason to the 123 bytes a close frame carries, on a character boundary", () => {
    expect(closeReason("short")).toBe("short");
    const long = closeReason("é".repeat(100));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(123);
    expect(long.endsWith("é...")).toBe(true);
  });
});
