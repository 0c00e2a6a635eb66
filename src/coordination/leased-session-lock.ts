import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { LockLostError, SessionBusyError } from '../common/domain-error';
import { InProcessSessionLock, SessionLock } from '../common/session-lock';
import { LeaseStore } from './domain/lease-store';

/** Errors of one outage are warned about once; again after this quiet time. */
const QUIET_MS = 30_000;
/** A key no one takes: compare-and-delete on it with a fresh token changes nothing, it only asks the store to answer. */
const PROBE_KEY = 'lock-store-probe';
/** The signal of work that runs under the in-process lock alone: nothing can take that lock away. */
const IN_PROCESS_ONLY = new AbortController().signal;

export interface LeaseOptions {
  /** The lease's expiry; renewed every third of it while the work runs. */
  readonly ttlMs: number;
  /** How long work waits in line (here and for other instances) before SessionBusyError. */
  readonly waitTimeoutMs: number;
  /** First and longest pause between two attempts to take a held lease. */
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
  /** Once the store failed, how often a background check asks it whether it answers again. */
  readonly recheckMs?: number;
}

/**
 * Serializes work on a key across instances with an expiring lease in a LeaseStore (Redis). In
 * front of it, the in-process FIFO: only the first waiter of this instance polls the store, the
 * others wait their turn here. A holder that crashes stops renewing, so its lease frees itself
 * within `ttlMs`. A lease lost while the work runs aborts the work's signal (and is logged).
 * After the store fails once, turns use the in-process lock without asking it (so no turn pays
 * its timeout) until a background check sees it answer again.
 */
export class LeasedSessionLock extends SessionLock {
  private readonly local = new InProcessSessionLock();
  private readonly logger = new Logger('SessionLock');
  private warnedAt = 0;
  private down = false;

  constructor(
    private readonly store: LeaseStore,
    private readonly options: LeaseOptions,
  ) {
    super();
  }

  run<T>(key: string, work: (held: AbortSignal) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.options.waitTimeoutMs;
    return this.local.run(key, () => this.holding(key, deadline, work));
  }

  private async holding<T>(key: string, deadline: number, work: (held: AbortSignal) => Promise<T>): Promise<T> {
    const lease = await this.acquire(key, deadline);
    try {
      return await work(lease?.signal ?? IN_PROCESS_ONLY);
    } finally {
      await lease?.release();
    }
  }

  /** The lease; undefined when the store cannot be reached, and the work runs under the in-process lock alone. */
  private async acquire(key: string, deadline: number): Promise<Lease | undefined> {
    const token = randomUUID();
    const { ttlMs, retryMinMs = 5, retryMaxMs = 50 } = this.options;
    for (let pause = retryMinMs; ; pause = Math.min(2 * pause, retryMaxMs)) {
      const taken = await this.take(key, token);
      if (taken === 'unreachable') return undefined;
      if (taken) return new Lease(this.store, key, token, ttlMs, this.logger);
      const left = deadline - Date.now();
      if (left <= 0) throw new SessionBusyError(key, this.options.waitTimeoutMs);
      // Jitter, so the waiters of several instances do not poll in step.
      await sleep(Math.min(left, pause / 2 + Math.random() * pause));
    }
  }

  /**
   * Availability over cross-instance correctness: with the store unreachable the turn goes on under
   * the in-process lock alone, as the memory windows go on from the database (warned once per burst).
   */
  private async take(key: string, token: string): Promise<boolean | 'unreachable'> {
    if (this.down) return 'unreachable';
    try {
      return await this.store.take(key, token, this.options.ttlMs);
    } catch (error) {
      this.fallBack(error as Error);
      return 'unreachable';
    }
  }

  private fallBack(error: Error): void {
    if (this.down) return;
    this.down = true;
    if (Date.now() - this.warnedAt > QUIET_MS) {
      this.warnedAt = Date.now();
      this.logger.warn(`Session locks fall back to this instance only: the lock store cannot be reached (${error.message})`);
    }
    let checking = false;
    const timer = setInterval(() => {
      if (checking) return;
      checking = true;
      this.store.release(PROBE_KEY, randomUUID()).then(
        () => {
          clearInterval(timer);
          this.down = false;
          this.logger.log('Session locks are shared through the lock store again');
        },
        () => (checking = false),
      );
    }, this.options.recheckMs ?? 1000);
    timer.unref();
  }
}

/** One holder's lease: renewed every ttl/3 until released; lost when a renewal says so or none succeeded for a ttl. */
class Lease {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private confirmedAt = Date.now();
  private ended = false;

  constructor(
    private readonly store: LeaseStore,
    private readonly key: string,
    private readonly token: string,
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.renew(), Math.max(1, Math.floor(ttlMs / 3)));
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  async release(): Promise<void> {
    this.end();
    if (this.signal.aborted) return;
    try {
      await this.store.release(this.key, this.token);
    } catch (error) {
      this.logger.warn(`Could not release the lock of ${this.key} (it expires within ${this.ttlMs} ms): ${(error as Error).message}`);
    }
  }

  private async renew(): Promise<void> {
    const sentAt = Date.now();
    try {
      if (await this.store.renew(this.key, this.token, this.ttlMs)) this.confirmedAt = sentAt;
      else this.lose('it expired or another holder took it');
    } catch (error) {
      if (Date.now() - this.confirmedAt >= this.ttlMs) this.lose(`no renewal succeeded for ${this.ttlMs} ms (${(error as Error).message})`);
    }
  }

  private lose(reason: string): void {
    if (this.ended) return;
    this.end();
    this.logger.warn(`Lost the lock of session ${this.key} while its work ran: ${reason}`);
    this.controller.abort(new LockLostError(this.key));
  }

  private end(): void {
    this.ended = true;
    clearInterval(this.timer);
  }
}
