import { readFile } from "node:fs/promises";

/**
 * Appends argv[2] as a line to the file argv[1], prints argv[3] to stdout, and exits with
 * argv[4] (default 0). An append of one short line is atomic, so concurrent runs never
 * interleave and the file's order is the order in which the runs happened.
 */
const APPEND_SCRIPT = `
const [file, line, out, code] = process.argv.slice(1);
require("fs").appendFileSync(file, line + "\\n");
if (out) process.stdout.write(out);
process.exit(Number(code || 0));
`;

/** The argv of a command task that appends `line` to `file` (no shell: `node -e <script> <args>`). */
export function appendLineArgv(
  file: string,
  line: string,
  options: { stdout?: string; exitCode?: number } = {},
): string[] {
  return [
    process.execPath,
    "-e",
    APPEND_SCRIPT,
    file,
    line,
    options.stdout ?? "",
    String(options.exitCode ?? 0),
  ];
}

/** The lines written so far; none when the file does not exist yet. */
export async function readLines(file: string): Promise<string[]> {
  try {
    return (await readFile(file, "utf8")).split("\n").filter((l) => l !== "");
  } catch {
    return [];
  }
}
