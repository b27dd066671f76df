import { afterEach, beforeEach } from "vitest";
import { CliProcess, tempDir } from "../cli/cli-process.js";
import { CommandGate } from "./gated-command.js";

/** What a scenario with gated commands uses; filled in before each test. */
export interface GatedScenario {
  dir: { path: string; remove: () => Promise<void> };
  gate: CommandGate;
  /** SIGSTOPs a process; it is resumed after the test even if the test fails. */
  pause(pid: number): void;
  resume(pid: number): void;
}

/**
 * Registers the setup and cleanup every gated end-to-end scenario shares: a temporary folder,
 * a command gate in it, and after each test: paused processes resumed, the whole system's
 * process group killed, unfinished gated commands killed, the folder removed.
 */
export function useGatedScenario(prefix: string): GatedScenario {
  const paused = new Set<number>();
  const scenario = {
    pause(pid: number) {
      process.kill(pid, "SIGSTOP");
      paused.add(pid);
    },
    resume(pid: number) {
      process.kill(pid, "SIGCONT");
      paused.delete(pid);
    },
  } as GatedScenario;

  beforeEach(async () => {
    scenario.dir = await tempDir(prefix);
    scenario.gate = new CommandGate(scenario.dir.path);
  });

  afterEach(async () => {
    for (const pid of paused) {
      try {
        process.kill(pid, "SIGCONT");
      } catch {
        // Already gone.
      }
    }
    paused.clear();
    await CliProcess.killAll();
    await scenario.gate.killUnfinished();
    await scenario.dir.remove();
  });

  return scenario;
}
