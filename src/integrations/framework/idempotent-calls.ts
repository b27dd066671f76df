import { createHash } from "node:crypto";
import { AppError, type JsonValue } from "../../domain/index.js";
import type { CallJournal } from "./call-journal.js";

/** What a call answered, as the journal replays it. */
export interface CallOutcome {
  result: JsonValue;
  tries: number;
  durationMs: number;
  replayed: boolean;
}

/**
 * Side-effecting calls of one integration, once per idempotency key: a key seen before gets
 * the recorded result (`replayed`), concurrent calls with one key share one remote call, and
 * a key reused for another operation or other parameters is refused.
 */
export class IdempotentCalls {
  private readonly inFlight = new Map<string, Promise<CallOutcome>>();

  constructor(
    private readonly integration: string,
    private readonly journal: CallJournal,
  ) {}

  async run(
    key: string,
    operation: string,
    parameters: unknown,
    perform: () => Promise<CallOutcome>,
  ): Promise<CallOutcome> {
    const journalKey = `${this.integration}\u0000${key}`;
    const fingerprint = createHash("sha256")
      .update(operation)
      .update("\u0000")
      .update(JSON.stringify(parameters))
      .digest("hex");
    const running = this.inFlight.get(journalKey);
    if (running !== undefined) return { ...(await running), replayed: true };
    const recorded = this.journal.find(journalKey);
    if (recorded !== undefined) {
      if (recorded.fingerprint !== fingerprint) {
        throw new AppError(
          "failed_precondition",
          `idempotency key ${JSON.stringify(key)} was already used for a different ${this.integration} call`,
          { field: "idempotency_key", integration: this.integration },
        );
      }
      return { result: recorded.result, tries: 0, durationMs: 0, replayed: true };
    }
    const call = perform().then((outcome) => {
      this.journal.record(journalKey, { fingerprint, result: outcome.result });
      return outcome;
    });
    this.inFlight.set(journalKey, call);
    try {
      return await call;
    } finally {
      this.inFlight.delete(journalKey);
    }
  }
}
