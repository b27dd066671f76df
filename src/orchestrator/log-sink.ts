import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { Writable } from "node:stream";
import type { JsonObject } from "../domain/index.js";
import { formatLogLine } from "./format-log-line.js";
import { type LogRecord, ownLogRecord } from "./log-record.js";

/** Where the system log goes. */
export interface LogSinkOptions {
  /** The system log file, appended to (JSON lines). */
  file: string;
  /** Where every record is echoed. Default process.stdout. */
  out?: EchoStream;
  /** "text" (readable) or "json". Default: text when `out` is a terminal, JSON otherwise. */
  format?: "text" | "json";
  /** Bytes `out` may hold unwritten before lines are left out of it (never out of the file). Default 8 MiB. */
  outBufferLimitBytes?: number;
}

/** A stream to echo to; `writableLength` (a Node Writable's) lets the echo stay bounded. */
type EchoStream = NodeJS.WritableStream & { isTTY?: boolean; writableLength?: number };

/**
 * The system log: every record of every process, appended to one JSON-lines file and echoed
 * to the orchestrator's stdout. Writers that get a promise back must wait for it before
 * writing more; that carries the file's backpressure back to the children's pipes, so no line
 * is lost. The echo is a view: a terminal that does not keep up (paused, slow) must not stall
 * the system, so past a bounded backlog lines are left out of it, and it says how many.
 */
export class LogSink {
  private file: WriteStream | undefined;
  private fileBroken = false;
  private outBroken = false;
  private closed = false;
  private readonly out: EchoStream;
  private readonly outLimit: number;
  /** Lines left out of `out` since it last kept up. */
  private skipped = 0;
  private readonly drainWaits = new Map<NodeJS.EventEmitter, Promise<unknown>>();
  private readonly format: "text" | "json";
  private readonly ownStreams: Writable[] = [];

  constructor(private readonly options: LogSinkOptions) {
    this.out = options.out ?? process.stdout;
    this.format = options.format ?? (this.out.isTTY ? "text" : "json");
    this.outLimit = options.outBufferLimitBytes ?? 8 * 1024 * 1024;
  }

  /** Creates the log folder and opens the file. */
  async start(): Promise<void> {
    await mkdir(dirname(this.options.file), { recursive: true });
    const file = createWriteStream(this.options.file, { flags: "a" });
    await once(file, "open");
    file.on("error", (error) => {
      // The file is gone or the disk is full: keep the terminal copy going and say so once.
      if (!this.fileBroken)
        process.stderr.write(
          `system log ${this.options.file} cannot be written: ${error.message}\n`,
        );
      this.fileBroken = true;
    });
    // A reader of our stdout that went away (EPIPE) must not take the orchestrator down.
    this.out.on("error", () => {
      this.outBroken = true;
    });
    this.file = file;
  }

  /** Writes one record; when a promise comes back, wait for it before writing more. */
  write(record: LogRecord): Promise<void> | undefined {
    if (this.closed) return undefined;
    const waits: Promise<unknown>[] = [];
    if (this.file && !this.fileBroken && !this.file.write(`${record.json}\n`))
      waits.push(this.drained(this.file));
    if (!this.outBroken) {
      const backlog = this.out.writableLength;
      if (backlog === undefined) {
        // A stream that does not say how much it holds: wait for it instead.
        if (!this.out.write(`${this.echo(record.fields, record.json)}\n`))
          waits.push(this.drained(this.out));
      } else if (backlog > this.outLimit) {
        this.skipped += 1;
      } else {
        if (this.skipped > 0) this.out.write(`${this.skippedNotice()}\n`);
        this.out.write(`${this.echo(record.fields, record.json)}\n`);
      }
    }
    if (waits.length === 0) return undefined;
    return Promise.all(waits).then(
      () => undefined,
      () => undefined,
    );
  }

  /**
   * One shared wait per stream for its next "drain": every child's pump may be waiting at
   * once, and a listener each would pile up on the stream.
   */
  private drained(stream: NodeJS.EventEmitter): Promise<unknown> {
    let wait = this.drainWaits.get(stream);
    if (!wait) {
      wait = once(stream, "drain").finally(() => this.drainWaits.delete(stream));
      this.drainWaits.set(stream, wait);
    }
    return wait;
  }

  private echo(fields: JsonObject, json: string): string {
    return this.format === "text" ? formatLogLine(fields, true) : json;
  }

  private skippedNotice(): string {
    const fields: JsonObject = {
      level: "warn",
      time: new Date().toISOString(),
      name: "orchestrator",
      pid: process.pid,
      msg: `${this.skipped} log lines were left out of this output, which was not keeping up; all are in ${this.options.file}`,
    };
    this.skipped = 0;
    return this.echo(fields, JSON.stringify(fields));
  }

  /**
   * A stream for this process's own pino logger: each JSON line written to it becomes a record
   * of the process `name`, so the orchestrator's lines are filed like everyone else's.
   */
  ownStream(name: string): Writable {
    let rest = "";
    const stream = new Writable({
      decodeStrings: false,
      write: (chunk: string | Buffer, _encoding, callback) => {
        rest += typeof chunk === "string" ? chunk : chunk.toString("utf8");
        const lines = rest.split("\n");
        rest = lines.pop() ?? "";
        const waits = lines
          .filter((l) => l.length > 0)
          .map((line) => this.write(ownLogRecord(line, name)));
        const pending = waits.filter((w): w is Promise<void> => w !== undefined);
        if (pending.length === 0) callback();
        else void Promise.all(pending).then(() => callback());
      },
    });
    this.ownStreams.push(stream);
    return stream;
  }

  /** Flushes and closes the file, and waits until stdout has taken everything. */
  async close(): Promise<void> {
    if (this.closed) return;
    // Writes are handled in order: once an empty one is through, every line before it is filed.
    await Promise.all(
      this.ownStreams.map((s) => new Promise<void>((resolve) => s.write("", () => resolve()))),
    );
    this.closed = true;
    const file = this.file;
    if (file && !this.fileBroken) await new Promise<void>((resolve) => file.end(resolve));
    if (!this.outBroken) await new Promise<void>((resolve) => this.out.write("", () => resolve()));
  }
}
