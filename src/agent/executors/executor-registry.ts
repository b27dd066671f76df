import { AppError, type ExecutorKind } from "../../domain/index.js";
import { createCommandExecutor } from "./command-executor.js";
import type { Executor } from "./executor.js";
import { createIntegrationExecutor } from "./integration-executor.js";
import { createNoopExecutor } from "./noop-executor.js";

/** The executors an agent runs, by kind. */
export interface ExecutorRegistry {
  /** The kinds present, in the order they were asked for. */
  readonly kinds: readonly ExecutorKind[];
  get(kind: ExecutorKind): Executor | undefined;
  /** Releases what executors hold (connections). */
  close(): void;
}

/** What the built-in executors need to be built. */
export interface BuiltInExecutorSettings {
  commandTimeoutMs: number;
  outputLimitBytes: number;
  /** Between SIGTERM and SIGKILL of a command's process group; default 2000 ms. */
  killGraceMs?: number;
  /** host:port of the integration service (for the `integration` executor). */
  integrationAddress?: string;
}

type Factory = (settings: BuiltInExecutorSettings) => Executor;

/**
 * Executors this process can build by itself. `freeform` has none: free-form work goes to
 * people, scripts or models that declare it (later executors plug in here).
 */
const BUILT_IN: Partial<Record<ExecutorKind, Factory>> = {
  command: (s) =>
    createCommandExecutor({
      defaultTimeoutMs: s.commandTimeoutMs,
      outputLimitBytes: s.outputLimitBytes,
      killGraceMs: s.killGraceMs,
    }),
  noop: () => createNoopExecutor(),
  integration: (s) => {
    if (s.integrationAddress === undefined)
      throw AppError.invalidArgument(
        "executors",
        "the integration executor needs the integration service's address",
      );
    return createIntegrationExecutor({ address: s.integrationAddress });
  },
};

/** Kinds that {@link createExecutorRegistry} can build. */
export const BUILT_IN_EXECUTOR_KINDS: readonly ExecutorKind[] = Object.keys(
  BUILT_IN,
) as ExecutorKind[];

/** Builds the registry for `kinds`; an unknown or non-built-in kind throws, naming it. */
export function createExecutorRegistry(
  kinds: readonly ExecutorKind[],
  settings: BuiltInExecutorSettings,
): ExecutorRegistry {
  return createRegistryFrom(
    kinds.map((kind) => {
      const factory = BUILT_IN[kind];
      if (factory === undefined) {
        throw AppError.invalidArgument(
          "executors",
          `no built-in executor for ${JSON.stringify(kind)}; built-in executors are ${BUILT_IN_EXECUTOR_KINDS.join(", ")}`,
        );
      }
      return factory(settings);
    }),
  );
}

/** A registry over already built executors (e.g. ones a later module supplies). */
export function createRegistryFrom(
  executors: readonly (Executor & { close?(): void })[],
): ExecutorRegistry {
  const byKind = new Map<ExecutorKind, Executor>();
  for (const executor of executors) {
    if (byKind.has(executor.kind))
      throw AppError.invalidArgument(
        "executors",
        `executor ${JSON.stringify(executor.kind)} is listed twice`,
      );
    byKind.set(executor.kind, executor);
  }
  return {
    kinds: [...byKind.keys()],
    get: (kind) => byKind.get(kind),
    close: () => executors.forEach((executor) => executor.close?.()),
  };
}
