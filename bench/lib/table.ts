/** A column of a plain-text table. */
export interface TableColumn {
  header: string;
  /** Numbers read best right-aligned; default "left". */
  align?: "left" | "right";
}

/**
 * Renders rows as a Markdown table padded to line up in a terminal, so that the same
 * output can be read on screen and pasted into a document.
 */
export function renderTable(
  columns: readonly TableColumn[],
  rows: ReadonlyArray<readonly string[]>,
): string {
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, 3, ...rows.map((row) => (row[index] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${columns
      .map((column, index) => {
        const cell = cells[index] ?? "";
        const width = widths[index] as number;
        return column.align === "right" ? cell.padStart(width) : cell.padEnd(width);
      })
      .join(" | ")} |`;
  const rule = `|${columns
    .map((column, index) => {
      const dashes = "-".repeat(widths[index] as number);
      return column.align === "right" ? `${dashes.slice(1)}:` : dashes;
    })
    .map((cell) => ` ${cell} `)
    .join("|")}|`;
  return [line(columns.map((column) => column.header)), rule, ...rows.map(line)].join("\n");
}
