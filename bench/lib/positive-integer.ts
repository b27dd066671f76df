import { AppError } from "../../src/domain/index.js";

/**
 * Returns `value` if it is an integer from 1 to `max`; otherwise throws an invalid-argument
 * error naming the option `name`.
 */
export function positiveInteger(
  name: string,
  value: number,
  max: number = Number.MAX_SAFE_INTEGER,
): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? "a positive integer" : `an integer 1 to ${max}`;
    throw AppError.invalidArgument(name, `${name} must be ${range}, got ${value}`);
  }
  return value;
}
