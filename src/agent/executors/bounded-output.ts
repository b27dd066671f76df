/**
 * Collects a stream's bytes up to a limit, keeping the head: the start of a command's output
 * usually says what it was doing, and memory stays bounded however much it prints.
 */
export class BoundedOutput {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  /** Every byte seen, kept or not. */
  totalBytes = 0;

  constructor(private readonly limitBytes: number) {}

  append(chunk: Buffer): void {
    this.totalBytes += chunk.length;
    const room = this.limitBytes - this.kept;
    if (room <= 0) return;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.chunks.push(part);
    this.kept += part.length;
  }

  get truncated(): boolean {
    return this.totalBytes > this.kept;
  }

  /** The kept head as UTF-8; a character cut at the limit becomes U+FFFD. */
  text(): string {
    return Buffer.concat(this.chunks, this.kept).toString("utf8");
  }
}
