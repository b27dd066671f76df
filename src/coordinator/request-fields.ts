import { AppError } from "../domain/index.js";

const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;

/** A required id: not blank, at most 200 characters. */
export function requireId(id: string, field: string): string {
  if (id.trim() === "") throw AppError.invalidArgument(field, `${field} is required`);
  if (id.length > 200)
    throw AppError.invalidArgument(field, `${field} must be at most 200 characters`);
  return id;
}

/** A page size: 0 means `fallback`; at most 500. */
export function pageSize(size: number, fallback = DEFAULT_PAGE, field = "page_size"): number {
  if (size === 0) return fallback;
  if (size > MAX_PAGE)
    throw AppError.invalidArgument(field, `${field} must be from 1 to ${MAX_PAGE}`);
  return size;
}

/** A page token as issued: the seq of the last item of the previous page. */
export function pageToken(token: string): number | undefined {
  if (token === "") return undefined;
  if (!/^\d{1,15}$/.test(token))
    throw AppError.invalidArgument("page_token", "page_token is not one this service issued");
  return Number(token);
}
