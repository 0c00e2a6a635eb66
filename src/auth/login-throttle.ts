import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { TooManyAttemptsError } from '../common/domain-error';
import { RecentFailures } from '../coordination/domain/recent-failures';

const WINDOW_MS = 15 * 60_000;
/** Failures allowed in the window for one username, and for one client address (which may be shared, e.g. a NAT). */
export const MAX_FAILURES_PER_USERNAME = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

/**
 * Slows down password guessing: after too many failed sign-ins for one username or one address in
 * 15 minutes, sign-in answers 429 until the oldest failure ages out. The failures are counted
 * across instances when they share Redis, in this process otherwise (or while Redis is away).
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly failures: RecentFailures,
    private readonly clock: Clock,
  ) {}

  /** Throws TooManyAttemptsError while either key is over its limit. */
  async check(username: string, address: string): Promise<void> {
    const now = this.clock.now().getTime();
    const waits = await Promise.all([this.wait(userKey(username), MAX_FAILURES_PER_USERNAME, now), this.wait(addressKey(address), MAX_FAILURES_PER_ADDRESS, now)]);
    const wait = Math.max(...waits);
    if (wait > 0) throw new TooManyAttemptsError(Math.ceil(wait / 1000));
  }

  failed(username: string, address: string): Promise<void> {
    // Only the newest `limit` failures of a key decide its wait: the larger limit bounds both.
    return this.failures.record([userKey(username), addressKey(address)], this.clock.now().getTime(), WINDOW_MS, MAX_FAILURES_PER_ADDRESS);
  }

  succeeded(username: string): Promise<void> {
    return this.failures.forget(userKey(username));
  }

  private async wait(key: string, limit: number, now: number): Promise<number> {
    const recent = await this.failures.since(key, now, WINDOW_MS);
    return recent.length < limit ? 0 : recent[recent.length - limit] + WINDOW_MS - now;
  }
}

const userKey = (username: string) => `u:${username}`;
const addressKey = (address: string) => `a:${address}`;
