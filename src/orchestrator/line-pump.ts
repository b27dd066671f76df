import type { Readable } from "node:stream";

/** Longest line kept whole; a longer one is cut into pieces so memory stays bounded. */
const MAX_LINE_CHARS = 1024 * 1024;

/**
 * Reads `stream` to its end and calls `onLine` for each line, partial lines joined across
 * chunks. When `onLine` returns a promise the stream is not read further until it settles:
 * that is how a slow log file slows a chatty child (its pipe fills and its writes wait)
 * instead of lines being dropped or memory growing.
 */
export async function pumpLines(
  stream: Readable,
  onLine: (line: string) => Promise<void> | undefined,
): Promise<void> {
  stream.setEncoding("utf8");
  let rest = "";
  for await (const chunk of stream as AsyncIterable<string>) {
    rest += chunk;
    let start = 0;
    for (
      let newline = rest.indexOf("\n", start);
      newline !== -1;
      newline = rest.indexOf("\n", start)
    ) {
      const line = rest.slice(start, newline).replace(/\r$/, "");
      start = newline + 1;
      if (line.length > 0) await onLine(line);
    }
    rest = rest.slice(start);
    while (rest.length > MAX_LINE_CHARS) {
      await onLine(rest.slice(0, MAX_LINE_CHARS));
      rest = rest.slice(MAX_LINE_CHARS);
    }
  }
  if (rest.length > 0) await onLine(rest);
}
