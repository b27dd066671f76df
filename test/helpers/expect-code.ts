import { expect } from "vitest";
import { AppError } from "../../src/domain/index.js";

/** Awaits `promise`, expecting it to reject with an AppError of `code`; returns the error. */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<AppError> {
  const error = await promise.then(
    () => expect.fail(`expected ${code}`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}
