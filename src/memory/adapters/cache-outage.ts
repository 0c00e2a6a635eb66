import { Logger } from '@nestjs/common';

export type Attempt<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

const FAILED: Attempt<never> = { ok: false };

/** How long calls are answered "failed" without being tried, once the cache is down, before a new attempt. */
export const RETRY_AFTER_MS = 1000;

/** How many command timeouts the deletion of stale windows may take, at recovery. */
const RECOVERY_TIMEOUT_FACTOR = 20;

export interface OutageOptions {
  /** Deadline of each call; undefined for a store in the process, which cannot hang. */
  readonly timeoutMs: number | undefined;
  /** Sessions remembered as stale during an outage; past this, the whole cache is cleared on recovery. */
  readonly maxStale: number;
  /** Deletes the windows of these sessions. */
  readonly drop: (sessionIds: string[]) => Promise<unknown>;
  /** Deletes every window. */
  readonly dropAll: () => Promise<unknown>;
  readonly now?: () => number;
}

/**
 * Keeps a cache that may fail from failing its callers: every call gets a deadline, a failure answers
 * "failed" (logged once per outage, not per call), and while the cache is down calls are not tried.
 * A window that could not be written or deleted is stale: it is deleted before the cache is trusted again.
 */
export class CacheOutage {
  private readonly logger = new Logger('ConversationMemory');
  private down = false;
  private retryAt = 0;
  private readonly stale = new Set<string>();
  private staleOverflow = false;
  private recovery: Promise<boolean> | undefined;
  private lastError = '';
  private readonly now: () => number;

  constructor(private readonly options: OutageOptions) {
    this.now = options.now ?? Date.now;
  }

  get isDown(): boolean {
    return this.down;
  }

  get reason(): string {
    return this.lastError;
  }

  /** Runs `call` within the deadline; `{ ok: false }` when it failed, timed out or the cache is down. */
  async attempt<T>(call: () => Promise<T>): Promise<Attempt<T>> {
    if (this.down && !(await this.recoveredInTime())) return FAILED;
    try {
      return { ok: true, value: await this.withDeadline(call, this.options.timeoutMs) };
    } catch (error) {
      this.fail(error);
      return FAILED;
    }
  }

  /** The window of `sessionId` in the cache may be out of date: delete it before the cache is trusted again. */
  markStale(sessionIds: readonly string[]): void {
    if (this.staleOverflow) return;
    for (const sessionId of sessionIds) this.stale.add(sessionId);
    if (this.stale.size > this.options.maxStale) {
      this.staleOverflow = true;
      this.stale.clear();
    }
  }

  /** Tries to end an outage, at most once per RETRY_AFTER_MS: deletes the stale windows, then trusts the cache again. */
  recover(): Promise<boolean> {
    if (!this.down) return Promise.resolve(true);
    if (this.now() < this.retryAt) return Promise.resolve(false);
    this.recovery ??= this.dropStale().finally(() => (this.recovery = undefined));
    return this.recovery;
  }

  /** A caller waits for a recovery no longer than for any call; the recovery itself goes on. */
  private async recoveredInTime(): Promise<boolean> {
    const recovering = this.recover();
    if (this.options.timeoutMs === undefined) return recovering;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.options.timeoutMs)));
    return Promise.race([recovering, late]).finally(() => clearTimeout(timer));
  }

  private async dropStale(): Promise<boolean> {
    const overflow = this.staleOverflow;
    const batch = [...this.stale];
    // Deleting many keys (a whole namespace is a SCAN) may take longer than one command.
    const deadline = this.options.timeoutMs === undefined ? undefined : RECOVERY_TIMEOUT_FACTOR * this.options.timeoutMs;
    try {
      await this.withDeadline(() => (overflow ? this.options.dropAll() : this.options.drop(batch)), deadline);
    } catch (error) {
      this.retryAt = this.now() + RETRY_AFTER_MS;
      this.lastError = messageOf(error);
      return false;
    }
    for (const sessionId of batch) this.stale.delete(sessionId);
    if (overflow) this.staleOverflow = false;
    // Calls that failed while this ran left new stale windows: another round, straight away.
    if (this.stale.size > 0 || this.staleOverflow) return false;
    this.down = false;
    this.logger.log(`The cache answers again; ${overflow ? 'all windows' : `${batch.length} stale windows`} dropped, windows are used again.`);
    return true;
  }

  private fail(error: unknown): void {
    this.lastError = messageOf(error);
    this.retryAt = this.now() + RETRY_AFTER_MS;
    if (this.down) return;
    this.down = true;
    this.logger.warn(`The cache is unreachable (${this.lastError}): windows are rebuilt from the store until it answers again.`);
  }

  private withDeadline<T>(call: () => Promise<T>, timeoutMs: number | undefined): Promise<T> {
    if (timeoutMs === undefined) return call();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([call(), deadline]).finally(() => clearTimeout(timer));
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
