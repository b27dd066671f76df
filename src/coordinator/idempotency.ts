import { createHash } from "node:crypto";
import { AppError } from "../domain/index.js";
import type { CoordinatorState } from "./coordinator-state.js";

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** What an idempotent operation must do: create, stage its response, and return it. */
export type IdempotentOperation<R> = (recordResponse: (response: R) => void) => Promise<R>;

/**
 * Idempotency keys: the first request under a key runs and its response is stored in the
 * same commit as its effects; later requests with the same key and the same content get
 * that response back and create nothing. Concurrent requests with one key wait for the
 * first. A different request under a used key is refused.
 */
export class Idempotency {
  private readonly inflight = new Map<string, { fingerprint: string; done: Promise<unknown> }>();

  constructor(private readonly state: CoordinatorState) {}

  async run<R>(
    scope: string,
    key: string,
    request: Uint8Array,
    codec: { encode(response: R): string; decode(text: string): R },
    operation: IdempotentOperation<R>,
  ): Promise<{ response: R; replayed: boolean }> {
    if (!KEY_PATTERN.test(key)) {
      throw AppError.invalidArgument(
        "idempotency_key",
        "the idempotency key must be 1 to 200 printable ASCII characters without spaces",
      );
    }
    const fingerprint = createHash("sha256").update(request).digest("hex");
    const slot = `${scope}\0${key}`;
    for (;;) {
      const running = this.inflight.get(slot);
      if (running) {
        this.checkSame(key, running.fingerprint, fingerprint);
        await running.done.catch(() => undefined);
        continue;
      }
      const stored = await this.state.store.getIdempotency(scope, key);
      if (stored) {
        this.checkSame(key, stored.fingerprint, fingerprint);
        return { response: codec.decode(stored.response), replayed: true };
      }
      if (this.inflight.has(slot)) continue;
      const done = operation((response) =>
        this.state.committer.stageIdempotency({
          scope,
          key,
          fingerprint,
          response: codec.encode(response),
          createdAt: Date.now(),
        }),
      );
      this.inflight.set(slot, { fingerprint, done });
      try {
        return { response: await done, replayed: false };
      } finally {
        this.inflight.delete(slot);
      }
    }
  }

  /** Forgets keys older than the configured time to live. */
  async expire(): Promise<number> {
    return this.state.store.deleteIdempotencyBefore(
      Date.now() - this.state.settings.idempotencyTtlMs,
    );
  }

  private checkSame(key: string, expected: string, actual: string): void {
    if (expected !== actual) {
      throw AppError.invalidArgument(
        "idempotency_key",
        `the idempotency key ${JSON.stringify(key)} was already used with a different request`,
      );
    }
  }
}
