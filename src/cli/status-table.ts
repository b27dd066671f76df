/** One row of `mcp-dist status`. */
export interface StatusRow {
  name: string;
  pid: number;
  port: number;
  state: string;
  uptimeMs: number;
  restarts: number;
  cpuPercent: number;
  rssBytes: number;
  /** Why it is in its state, or how it last ended. */
  note: string;
}

const COLUMNS: ReadonlyArray<{ title: string; cell: (row: StatusRow) => string; right?: boolean }> =
  [
    { title: "NAME", cell: (r) => r.name },
    { title: "PID", cell: (r) => (r.pid ? String(r.pid) : "-"), right: true },
    { title: "PORT", cell: (r) => (r.port ? String(r.port) : "-"), right: true },
    { title: "STATE", cell: (r) => r.state },
    { title: "UPTIME", cell: (r) => (r.pid ? formatDuration(r.uptimeMs) : "-"), right: true },
    { title: "RESTARTS", cell: (r) => String(r.restarts), right: true },
    { title: "CPU%", cell: (r) => (r.pid ? r.cpuPercent.toFixed(1) : "-"), right: true },
    {
      title: "RSS",
      cell: (r) => (r.pid && r.rssBytes ? formatBytes(r.rssBytes) : "-"),
      right: true,
    },
    { title: "NOTE", cell: (r) => r.note },
  ];

/** The rows as an aligned plain-text table, one line per process, header first. */
export function formatStatusTable(rows: readonly StatusRow[]): string {
  const cells = [
    COLUMNS.map((c) => c.title),
    ...rows.map((row) => COLUMNS.map((c) => c.cell(row))),
  ];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => (line[i] ?? "").length)));
  return cells
    .map((line) =>
      line
        .map((cell, i) =>
          COLUMNS[i]?.right ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
        )
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** 45s, 12m05s, 3h04m, 2d03h. */
export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, "0")}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, "0")}h`;
}

/** 812 KiB, 54.3 MiB, 1.2 GiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(1)} GiB`;
}
