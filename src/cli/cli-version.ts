import { readFileSync } from "node:fs";

/** The package's version, read from package.json whether run from source or from dist/. */
export function readCliVersion(): string {
  for (const relative of ["../../package.json", "../../../package.json"]) {
    try {
      const parsed = JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8")) as {
        name?: unknown;
        version?: unknown;
      };
      if (parsed.name === "mcp-distributed" && typeof parsed.version === "string")
        return parsed.version;
    } catch {
      // Not at this depth; try the next.
    }
  }
  return "unknown";
}
