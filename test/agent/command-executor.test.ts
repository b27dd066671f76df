import { existsSync } from "node:fs";
import { chmod, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandExecutor } from "../../src/agent/index.js";
import type { JsonObject } from "../../src/domain/index.js";
import { commandTask, eventually, isAlive, runContext } from "./run-context.js";

const node = process.execPath;
const executor = createCommandExecutor({
  defaultTimeoutMs: 30_000,
  outputLimitBytes: 64 * 1024,
  killGraceMs: 300,
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "agent-command-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(
  argv: string[],
  action: Parameters<typeof commandTask>[1] = {},
  signal?: AbortSignal,
  exec = executor,
) {
  const result = await exec.execute(runContext(commandTask(argv, action), signal).context);
  return { ...result, out: result.output as JsonObject };
}

/** A node script that writes `file` once it has set itself up, then waits forever. */
function readyThenWait(file: string, setup = ""): string[] {
  return [
    node,
    "-e",
    `${setup}; require("fs").writeFileSync(${JSON.stringify(file)}, String(process.pid)); setInterval(() => {}, 1000);`,
  ];
}

describe("command executor", () => {
  it("runs a program and records exit code, stdout and stderr", async () => {
    const r = await run([
      node,
      "-e",
      "process.stdout.write('hello'); process.stderr.write('warning')",
    ]);
    expect(r.error).toBeNull();
    expect(r.out).toMatchObject({
      exit_code: 0,
      signal: null,
      stdout: "hello",
      stderr: "warning",
      stdout_truncated: false,
      stderr_truncated: false,
      stdout_bytes: 5,
      stderr_bytes: 7,
    });
    expect(typeof r.out.duration_ms).toBe("number");
  });

  it("finds argv[0] on PATH", async () => {
    const r = await run(["node", "-e", "process.stdout.write('ok')"]);
    expect(r.error).toBeNull();
    expect(r.out.stdout).toBe("ok");
  });

  it("reports a non-zero exit as a retryable internal error, keeping the output", async () => {
    const r = await run([node, "-e", "console.error('boom'); process.exit(3)"]);
    expect(r.error).toEqual({
      code: "internal",
      message: "command exited with code 3",
      retryable: true,
    });
    expect(r.out.exit_code).toBe(3);
    expect(r.out.stderr).toBe("boom\n");
  });

  it("reports a missing program as not_found, naming it, not retryable", async () => {
    const r = await run(["no-such-program-for-agent-tests", "x"]);
    expect(r.error?.code).toBe("not_found");
    expect(r.error?.retryable).toBe(false);
    expect(r.error?.message).toContain("no-such-program-for-agent-tests");
  });

  it("reports a file that is not executable as permission_denied", async () => {
    const file = join(dir, "not-executable.sh");
    await writeFile(file, "#!/bin/sh\necho hi\n");
    await chmod(file, 0o644);
    const r = await run([file]);
    expect(r.error?.code).toBe("permission_denied");
    expect(r.error?.retryable).toBe(false);
  });

  it("reports a missing working directory as not_found, naming the directory", async () => {
    const missing = join(dir, "does-not-exist");
    const r = await run([node, "-e", ""], { cwd: missing });
    expect(r.error?.code).toBe("not_found");
    expect(r.error?.message).toContain(missing);
  });

  it("refuses an empty argv and a NUL byte without running anything", async () => {
    expect((await run([])).error?.code).toBe("invalid_argument");
    const nul = await run([node, "-e", "", "a\u0000b"]);
    expect(nul.error?.code).toBe("invalid_argument");
    expect(nul.error?.retryable).toBe(false);
  });

  it("names the signal when the program is killed by one, as retryable", async () => {
    const r = await run([node, "-e", "process.kill(process.pid, 'SIGKILL')"]);
    expect(r.error?.code).toBe("internal");
    expect(r.error?.retryable).toBe(true);
    expect(r.error?.message).toContain("SIGKILL");
    expect(r.out.signal).toBe("SIGKILL");
  });

  it("on timeout kills the whole process group, grandchildren included", async () => {
    const script = [
      "const { spawn } = require('child_process');",
      "const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' });",
      "console.log(JSON.stringify({ child: process.pid, grandchild: g.pid }));",
      "setInterval(() => {}, 1000);",
    ].join("\n");
    const r = await run([node, "-e", script], { timeoutMs: 1_000 });
    expect(r.error?.code).toBe("deadline_exceeded");
    expect(r.error?.retryable).toBe(true);
    expect(r.error?.message).toContain("1000 ms");
    const pids = JSON.parse(r.out.stdout as string) as { child: number; grandchild: number };
    expect(
      await eventually(
        async () => !(await isAlive(pids.child)) && !(await isAlive(pids.grandchild)),
      ),
    ).toBe(true);
  });

  it("uses the default timeout when the action sets none", async () => {
    const quick = createCommandExecutor({
      defaultTimeoutMs: 500,
      outputLimitBytes: 1024,
      killGraceMs: 300,
    });
    const r = await run([node, "-e", "setInterval(() => {}, 1000)"], {}, undefined, quick);
    expect(r.error?.code).toBe("deadline_exceeded");
    expect(r.error?.message).toContain("500 ms");
  });

  it("escalates to SIGKILL when the group ignores SIGTERM", async () => {
    const ready = join(dir, "ignores-term.ready");
    const controller = new AbortController();
    const pending = run(
      readyThenWait(ready, "process.on('SIGTERM', () => {})"),
      {},
      controller.signal,
    );
    expect(await eventually(() => existsSync(ready))).toBe(true);
    controller.abort();
    const r = await pending;
    expect(r.error?.code).toBe("cancelled");
    expect(r.out.signal).toBe("SIGKILL");
  });

  it("on abort kills the process and reports cancelled", async () => {
    const ready = join(dir, "abort.ready");
    const controller = new AbortController();
    const pending = run(readyThenWait(ready), {}, controller.signal);
    expect(await eventually(() => existsSync(ready))).toBe(true);
    const { readFileSync } = await import("node:fs");
    const pid = Number(readFileSync(ready, "utf8"));
    controller.abort();
    const r = await pending;
    expect(r.error).toMatchObject({ code: "cancelled", retryable: false });
    expect(r.out.signal).toBe("SIGTERM");
    expect(await eventually(async () => !(await isAlive(pid)))).toBe(true);
  });

  it("does not start at all when already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const marker = join(dir, "must-not-exist");
    const r = await run(
      [node, "-e", `require("fs").writeFileSync(${JSON.stringify(marker)}, "")`],
      {},
      controller.signal,
    );
    expect(r.error?.code).toBe("cancelled");
    expect(existsSync(marker)).toBe(false);
  });

  it("keeps the head of stdout and stderr up to the limit and counts every byte", async () => {
    const small = createCommandExecutor({
      defaultTimeoutMs: 30_000,
      outputLimitBytes: 1024,
      killGraceMs: 300,
    });
    const r = await run(
      [
        node,
        "-e",
        "process.stdout.write('a'.repeat(5000)); process.stderr.write('b'.repeat(3000))",
      ],
      {},
      undefined,
      small,
    );
    expect(r.error).toBeNull();
    expect(r.out).toMatchObject({
      stdout: "a".repeat(1024),
      stderr: "b".repeat(1024),
      stdout_truncated: true,
      stderr_truncated: true,
      stdout_bytes: 5000,
      stderr_bytes: 3000,
    });
  });

  it("adds the action's env to the agent's and runs in its cwd", async () => {
    const r = await run(
      [
        node,
        "-e",
        "process.stdout.write(JSON.stringify({ foo: process.env.AGENT_TEST_FOO, path: Boolean(process.env.PATH), cwd: process.cwd() }))",
      ],
      {
        cwd: dir,
        env: { AGENT_TEST_FOO: "bar baz $HOME" },
      },
    );
    expect(r.error).toBeNull();
    expect(JSON.parse(r.out.stdout as string)).toEqual({
      foo: "bar baz $HOME",
      path: true,
      cwd: await realpath(dir),
    });
  });

  it("passes argv verbatim: shell metacharacters are never interpreted", async () => {
    const pwned = join(dir, "pwned");
    const args = [
      "; rm -rf /",
      `$(touch ${pwned})`,
      `\`touch ${pwned}\``,
      `a | touch ${pwned}`,
      `true && touch ${pwned}`,
      "*",
      "~",
      "$HOME",
      "'single' \"double\" \\back",
      "line one\nline two",
      "",
      "  spaced  ",
      "> /dev/null 2>&1",
    ];
    const r = await run([
      node,
      "-e",
      "process.stdout.write(JSON.stringify(process.argv.slice(1)))",
      "--",
      ...args,
    ]);
    expect(r.error).toBeNull();
    expect(JSON.parse(r.out.stdout as string)).toEqual(args);
    expect(existsSync(pwned)).toBe(false);
  });
});
