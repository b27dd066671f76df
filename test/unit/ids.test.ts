import { describe, expect, it } from "vitest";
import { newTaskId, uuidv7 } from "../../src/domain/index.js";

describe("ids", () => {
  it("are RFC 9562 version 7 UUIDs carrying their creation time", () => {
    const id = uuidv7(0x0123456789ab);
    expect(id).toMatch(/^01234567-89ab-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("sort by creation time across milliseconds, and do not repeat", () => {
    const ids = [uuidv7(1_000), uuidv7(2_000), uuidv7(3_000)];
    expect([...ids].sort()).toEqual(ids);
    const many = new Set(Array.from({ length: 50_000 }, () => newTaskId()));
    expect(many.size).toBe(50_000);
  });
});
