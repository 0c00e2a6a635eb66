import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { TooManyAttemptsError } from '../common/domain-error';

const WINDOW_MS = 15 * 60_000;
/** Failures allowed in the window for one username, and for one client address (which may be shared, e.g. a NAT). */
export const MAX_FAILURES_PER_USERNAME = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;
/** Bounds the memory a flood of invented usernames can take. */
const MAX_TRACKED = 10_000;

/**
 * Slows down password guessing: after too many failed sign-ins for one username or one address in
 * 15 minutes, sign-in answers 429 until the oldest failure ages out.
 * TODO: in process only; with REDIS_URL and several instances the counts should live in Redis.
 */
@Injectable()
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly clock: Clock) {}

  /** Throws TooManyAttemptsError while either key is over its limit. */
  check(username: string, address: string): void {
    const now = this.clock.now().getTime();
    const wait = Math.max(this.wait(`u:${username}`, MAX_FAILURES_PER_USERNAME, now), this.wait(`a:${address}`, MAX_FAILURES_PER_ADDRESS, now));
    if (wait > 0) throw new TooManyAttemptsError(Math.ceil(wait / 1000));
  }

  failed(username: string, address: string): void {
    const now = this.clock.now().getTime();
    for (const key of [`u:${username}`, `a:${address}`]) {
      if (!this.failures.has(key) && this.failures.size >= MAX_TRACKED) this.failures.delete(this.failures.keys().next().value!);
      this.failures.set(key, [...this.recent(key, now), now]);
    }
  }

  succeeded(username: string): void {
    this.failures.delete(`u:${username}`);
  }

  private wait(key: string, limit: number, now: number): number {
    const recent = this.recent(key, now);
    return recent.length < limit ? 0 : recent[recent.length - limit] + WINDOW_MS - now;
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => at > now - WINDOW_MS);
  }
}
