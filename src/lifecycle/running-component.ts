/** What every component's start function returns: where it listens and how to stop it. */
export interface RunningComponent {
  /** The port actually bound (useful when 0 was asked for). */
  readonly port: number;
  /** Graceful stop: refuse new work, finish or hand back what is running, release resources. */
  close(): Promise<void>;
}
