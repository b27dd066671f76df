/**
 * Capabilities are compared in one spelling: lower case, with runs of spaces, dashes and dots
 * folded to one underscore ("API design" and "api-design" are both "api_design").
 */
export function normalizeCapability(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[\s\-.]+/g, "_");
}

/** Normalised, de-duplicated and sorted, so that equal sets have equal keys. */
export function normalizeCapabilities(raw: readonly string[]): string[] {
  return [...new Set(raw.map(normalizeCapability).filter((c) => c.length > 0))].sort();
}
