import { describe, expect, it } from "vitest";
import {
  createExecutorRegistry,
  createNoopExecutor,
  createRegistryFrom,
} from "../../src/agent/index.js";
import { AppError } from "../../src/domain/index.js";

const settings = { commandTimeoutMs: 1_000, outputLimitBytes: 1024 };

describe("executor registry", () => {
  it("builds the listed built-in executors, by kind", () => {
    const registry = createExecutorRegistry(["noop", "command"], settings);
    expect(registry.kinds).toEqual(["noop", "command"]);
    expect(registry.get("command")?.kind).toBe("command");
    expect(registry.get("noop")?.kind).toBe("noop");
    expect(registry.get("freeform")).toBeUndefined();
  });

  it("leaves out what is not listed", () => {
    const registry = createExecutorRegistry(["noop"], settings);
    expect(registry.get("command")).toBeUndefined();
  });

  it("refuses a kind with no built-in executor, naming it", () => {
    const attempt = () => createExecutorRegistry(["command", "freeform"], settings);
    expect(attempt).toThrow(AppError);
    expect(attempt).toThrow(/"freeform"/);
  });

  it("refuses two executors of one kind", () => {
    expect(() => createRegistryFrom([createNoopExecutor(), createNoopExecutor()])).toThrow(
      /listed twice/,
    );
  });
});
