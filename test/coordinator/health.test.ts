import { rmSync } from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { startCoordinator } from "../../src/coordinator/index.js";
import type { RunningComponent } from "../../src/lifecycle/index.js";
import type { AppError } from "../../src/domain/index.js";
import { CoordinatorServiceClient } from "../../src/gen/mcp/v1/coordinator.js";
import { checkGrpcHealth, CLIENT_OPTIONS, insecure, promiseClient } from "../../src/rpc/index.js";
import { freeform } from "../helpers/wire-builders.js";
import { tempDir } from "../helpers/temp-dir.js";
import { testConfig } from "../helpers/test-config.js";

let coordinator: RunningComponent | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  await coordinator?.close().catch(() => undefined);
  dir?.remove();
});

describe("coordinator health", () => {
  it("reports NOT_SERVING when its store becomes unusable, and stops instead of acknowledging", async () => {
    dir = tempDir("mcp-health-");
    const fatal: unknown[] = [];
    coordinator = await startCoordinator(testConfig(dir.path), pino({ level: "silent" }), {
      onFatal: (error) => fatal.push(error),
    });
    const address = `127.0.0.1:${coordinator.port}`;
    expect(await checkGrpcHealth(address)).toBe(true);
    expect(await checkGrpcHealth(address, 2_000, "mcp.v1.CoordinatorService")).toBe(true);
    rmSync(join(dir.path, "mcp.db"));
    const deadline = Date.now() + 10_000;
    while ((await checkGrpcHealth(address)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(await checkGrpcHealth(address)).toBe(false);
    expect(await checkGrpcHealth(address, 2_000, "mcp.v1.CoordinatorService")).toBe(false);

    // A write now cannot be made durable: it is not acknowledged, and the coordinator gives up.
    const client = new CoordinatorServiceClient(address, insecure(), CLIENT_OPTIONS);
    const created = await promiseClient(client, 5_000)
      .createTasks({ tasks: [freeform("never acknowledged")], idempotencyKey: "" })
      .then(
        () => "acknowledged",
        (error: unknown) => (error as AppError).code,
      );
    client.close();
    expect(created).not.toBe("acknowledged");
    expect(fatal).toHaveLength(1);
  });
});
