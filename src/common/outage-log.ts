/** Where an outage log writes; Nest's Logger fits, and so does a test's recorder. */
export interface OutageLogger {
  warn(message: string): void;
  log(message: string): void;
}

export interface OutageLogOptions {
  /** While an outage lasts, a reminder line at most this often (ms). */
  readonly repeatMs?: number;
  readonly now?: () => number;
}

const DEFAULT_REPEAT_MS = 60_000;

/**
 * Says an outage of one dependency once per burst, not once per failed request: the first failure
 * as a warning with its cause, a reminder with the count while it lasts, and one line on recovery.
 */
export class OutageLog {
  private since: number | undefined;
  private failures = 0;
  private lastLine = 0;
  private readonly repeatMs: number;
  private readonly now: () => number;

  constructor(
    private readonly dependency: string,
    private readonly logger: OutageLogger,
    options: OutageLogOptions = {},
  ) {
    this.repeatMs = options.repeatMs ?? DEFAULT_REPEAT_MS;
    this.now = options.now ?? Date.now;
  }

  get down(): boolean {
    return this.since !== undefined;
  }

  failed(cause: unknown): void {
    const now = this.now();
    this.failures++;
    if (this.since === undefined) {
      this.since = now;
      this.lastLine = now;
      this.logger.warn(`${this.dependency} is failing: ${describe(cause)}`);
    } else if (now - this.lastLine >= this.repeatMs) {
      this.lastLine = now;
      this.logger.warn(`${this.dependency} still failing: ${this.failures} failures in ${seconds(now - this.since)}; last: ${describe(cause)}`);
    }
  }

  succeeded(): void {
    if (this.since === undefined) return;
    this.logger.log(`${this.dependency} recovered after ${this.failures} failures in ${seconds(this.now() - this.since)}`);
    this.since = undefined;
    this.failures = 0;
  }
}

function describe(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause instanceof Error && cause.cause.message !== cause.message ? ` (${cause.cause.message})` : '';
  return `${cause.message}${inner}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
