import { expect } from "vitest";
import { AppError } from "../../src/domain/index.js";
import { emptyWriteSet, type WriteSet } from "../../src/store/index.js";

/** A write set with only `parts`. */
export function writes(parts: Partial<WriteSet>): WriteSet {
  return { ...emptyWriteSet(), ...parts };
}

/** The AppError the promise rejects with, checking its code when given. */
export async function expectAppError(promise: Promise<unknown>, code?: string): Promise<AppError> {
  const error: unknown = await promise.then(
    () => expect.fail("expected the promise to reject"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  if (code !== undefined) expect((error as AppError).code).toBe(code);
  return error as AppError;
}
